import { formatAge, formatNotional, formatNumber, formatTime } from './format';

describe('format', () => {
  it('formats ages', () => {
    expect(formatAge(-5)).toBe('0s');
    expect(formatAge(42_000)).toBe('42s');
    expect(formatAge(185_000)).toBe('3m 05s');
    expect(formatAge(2 * 3600_000 + 7 * 60_000)).toBe('2h 07m');
    expect(formatAge(76 * 3600_000)).toBe('3d 04h');
  });

  it('formats numbers and notionals', () => {
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(0.123456789)).toBe('0.12345679');
    expect(formatNumber(12345.678)).toBe('12,345.68');
    expect(formatNotional(1234.5)).toBe('1,235');
    expect(formatNotional(12.345)).toBe('12.35');
    expect(formatNotional(25_000)).toBe('25.0k');
    expect(formatNotional(4_560_000)).toBe('4.56M');
  });

  it('formats times, with the date when not today', () => {
    const now = new Date(2024, 5, 1, 15, 0, 0).getTime();
    expect(formatTime(new Date(2024, 5, 1, 9, 5, 7).getTime(), { now })).toBe('09:05:07');
    expect(formatTime(new Date(2024, 4, 31, 9, 5, 7).getTime(), { now })).toBe('2024-05-31 09:05:07');
    expect(formatTime(0, { now })).toBe('—');
  });

  it("formats times in a Grafana time zone, the day as that zone's day", () => {
    const now = Date.UTC(2024, 5, 1, 15, 0, 0); // 2024-06-02 00:00 in Tokyo
    const t = Date.UTC(2024, 5, 1, 16, 0, 0);
    expect(formatTime(t, { now, timeZone: 'Asia/Tokyo' })).toBe('01:00:00');
    expect(formatTime(Date.UTC(2024, 5, 1, 9, 5, 7), { now, timeZone: 'Asia/Tokyo' })).toBe('2024-06-01 18:05:07');
    expect(formatTime(t, { now, timeZone: 'utc' })).toBe('16:00:00');
    expect(formatTime(t, { now, timeZone: 'America/New_York' })).toBe('12:00:00');
  });
});
