import { parseHistoryQuery, ParameterError } from '../http/history-api';
import { fastValidate } from './fast-validate';
import { parseRfc3339 } from './rfc3339';
import { tradingEvent } from './schema';

const at = (iso: string) => new Date(iso).getTime();

describe('parseRfc3339', () => {
  test.each([
    ['2026-01-02T03:04:05Z', at('2026-01-02T03:04:05.000Z')],
    ['2026-01-02t03:04:05z', at('2026-01-02T03:04:05.000Z')],
    ['2026-01-02 03:04:05Z', at('2026-01-02T03:04:05.000Z')], // the space RFC 3339's note allows
    ['2026-01-02T04:34:05+01:30', at('2026-01-02T03:04:05.000Z')],
    ['2026-01-01T23:04:05-04:00', at('2026-01-02T03:04:05.000Z')],
    ['2026-01-02T03:04:05-00:00', at('2026-01-02T03:04:05.000Z')],
    ['2026-01-02T03:04:05.1Z', at('2026-01-02T03:04:05.100Z')],
    ['2026-01-02T03:04:05.123456789Z', at('2026-01-02T03:04:05.123Z')], // nanoseconds: truncated
    ['2024-02-29T00:00:00Z', at('2024-02-29T00:00:00.000Z')],
    ['2000-02-29T00:00:00Z', at('2000-02-29T00:00:00.000Z')],
    ['2016-12-31T23:59:60Z', at('2017-01-01T00:00:00.000Z')], // a leap second
  ])('reads %s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  test('reads years 0000 to 0099 as themselves, not as 1900 to 1999 (Date.UTC does)', () => {
    const d = new Date(parseRfc3339('0050-06-01T00:00:00Z') ?? NaN);
    expect([d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()]).toEqual([50, 5, 1]);
  });

  test.each([
    ['2026-01-02T03:04:05+0130', 'an offset without its colon (not RFC 3339)'],
    ['2026-01-02T03:04:05', 'no offset'],
    ['2026-01-02', 'a date alone'],
    ['2026-02-30T00:00:00Z', 'a day February does not have (Date.parse: March 2)'],
    ['2026-02-29T00:00:00Z', 'February 29 of a common year'],
    ['1900-02-29T00:00:00Z', 'February 29 of a century not divisible by 400'],
    ['2026-04-31T00:00:00Z', 'April 31'],
    ['2026-13-02T03:04:05Z', 'month 13'],
    ['2026-00-02T03:04:05Z', 'month 0'],
    ['2026-01-00T03:04:05Z', 'day 0'],
    ['2026-01-02T24:00:00Z', 'hour 24 (Date.parse: the next midnight)'],
    ['2026-01-02T23:60:00Z', 'minute 60'],
    ['2026-01-02T23:59:61Z', 'second 61'],
    ['2026-01-02T03:04:05+24:00', 'an offset of 24 hours'],
    ['2026-01-02T03:04:05+01:60', 'an offset minute of 60'],
    ['2026-01-02T03:04:05.Z', 'a dot without digits'],
    [' 2026-01-02T03:04:05Z', 'a leading space'],
    ['2026-01-02T03:04Z', 'no seconds'],
  ])('refuses %s: %s', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe('one rule for event times and history query times', () => {
  const mark = (ts: string) => ({ type: 'mark', ts, symbol: 'BTC/USD', price: 64010.5 });
  const viaSchema = (ts: string) => {
    const r = tradingEvent.safeParse(mark(ts));
    return r.success ? r.data.ts : undefined;
  };
  const viaFastPath = (ts: string) => fastValidate(mark(ts))?.ts;
  const viaHistoryApi = (ts: string) => {
    try {
      return parseHistoryQuery('fills', { from: ts }, undefined).query.from;
    } catch (err) {
      if (err instanceof ParameterError) return undefined;
      throw err;
    }
  };

  test.each([
    '2026-01-02T03:04:05Z',
    '2026-01-02 04:04:05.250+01:00',
    '2026-01-02t03:04:05.5z',
    '2026-01-02T03:04:05+0100',
    '2026-02-30T00:00:00Z',
    '2026-01-02T24:00:00Z',
    '2016-12-31T23:59:60Z',
  ])('%s: the ingest schema, its fast path and the history API agree', (ts) => {
    const expected = parseRfc3339(ts);
    expect(viaSchema(ts)).toBe(expected);
    expect(viaFastPath(ts)).toBe(expected);
    expect(viaHistoryApi(ts)).toBe(expected);
  });

  test('an offset without its colon is refused at both doors, with a message that shows the form', () => {
    const r = tradingEvent.safeParse(mark('2026-01-02T03:04:05+0100'));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain('+01:00');
    expect(() => parseHistoryQuery('fills', { from: '2026-01-02T03:04:05+0100' }, undefined)).toThrow(
      /from must be an RFC 3339 time/,
    );
  });
});
