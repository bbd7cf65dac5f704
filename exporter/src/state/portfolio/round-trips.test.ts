import { emptyRoundTripBook, recordRoundTrip, tripStats } from './round-trips';

const D = 86_400_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

describe('round trips per window in bounded memory', () => {
  test('a window counts the round trips that ended in its last W (to the minute); all counts every one', () => {
    const book = emptyRoundTripBook();
    const trip = (ts: number, pnl: number) =>
      recordRoundTrip(
        book,
        {
          ts,
          symbol: 'BTC/USD',
          strategy: 's',
          pnl,
          outcome: pnl > 0 ? 'win' : pnl < 0 ? 'loss' : 'breakeven',
        },
        ts,
        30 * D,
      );
    trip(T0, 10);
    trip(T0 + 2 * D, -4);
    trip(T0 + 2 * D + 60_000, 6);
    const now = T0 + 2 * D + 120_000;
    expect(tripStats(book.engine, now, D)).toMatchObject({ roundTrips: 2, wins: 1, losses: 1, netPnl: 2 });
    expect(tripStats(book.engine, now, null)).toMatchObject({ roundTrips: 3, netPnl: 12 });
  });

  test('buckets older than the longest window are dropped; the whole-life totals stay', () => {
    const book = emptyRoundTripBook();
    for (let i = 0; i < 5000; i++) {
      const ts = T0 + i * 30 * 60_000; // one every 30 minutes for ~104 days
      recordRoundTrip(book, { ts, symbol: 'BTC/USD', strategy: 's', pnl: 1, outcome: 'win' }, ts, 30 * D);
    }
    expect(book.engine.buckets.length).toBeLessThanOrEqual(30 * 48 + 2);
    expect(book.strategies.get('s')!.buckets.length).toBeLessThanOrEqual(30 * 48 + 2);
    expect(book.recent.length).toBe(100);
    expect(tripStats(book.engine, T0 + 4999 * 30 * 60_000, null).roundTrips).toBe(5000);
  });
});
