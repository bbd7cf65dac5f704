/**
 * Per-fill realized PnL and round-trip rows (docs/history.md, "Fills: `realized_pnl`"), through the real
 * validation and Store: hand-worked examples with the arithmetic beside each expectation,
 * and the invariant Σ fills' realized_pnl = trading_realized_pnl over generated sequences.
 */
import fc from 'fast-check';
import { validateBatch } from '../events/validate';
import type { FillRecord, FillRow, RoundTripRow } from './changes';
import { engineReport } from './report';
import { Store } from './store';
import { fillRow, roundTripRow } from './wire-rows';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const WINDOWS = { windows: [{ name: 'all', ms: null }], periodsPerYear: 8760 };

interface Rows {
  fills: FillRow[];
  trips: RoundTripRow[];
}

function makeStore(): { store: Store; rows: Rows } {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const rows: Rows = { fills: [], trips: [] };
  store.onChanges((changes) => {
    for (const c of changes) {
      // As the history and the feed serve them.
      if (c.channel === 'fills' && c.row) rows.fills.push(fillRow(c.row as FillRecord));
      if (c.roundTrip) rows.trips.push(roundTripRow(c.roundTrip));
    }
  });
  return { store, rows };
}

function apply(store: Store, events: Record<string, unknown>[]): void {
  const batch = validateBatch(events.map((e) => ({ engine: 'e1', ...e })));
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  store.apply(batch.events);
}

let seq = 0;
const fill = (
  ts: number,
  symbol: string,
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  fee = '0',
  extra: Record<string, unknown> = {},
) => ({
  type: 'fill',
  ts,
  fill_id: `f${++seq}`,
  order_id: `o${seq}`,
  symbol,
  side,
  quantity,
  price,
  fee,
  strategy: 'mr',
  ...extra,
});
const mark = (ts: number, symbol: string, price: string) => ({ type: 'mark', ts, symbol, price });
const pnls = (rows: Rows) => rows.fills.map((f) => f.realized_pnl);

describe('per-fill realized PnL and round trips, hand-worked', () => {
  test('partial fills: each fill realizes on its own part; the round trip sums them', () => {
    const { store, rows } = makeStore();
    apply(store, [
      fill(T0 + 1000, 'BTC/USD', 'buy', '1', '100', '0.10'),
      fill(T0 + 2000, 'BTC/USD', 'buy', '3', '120', '0.36'),
      fill(T0 + 3000, 'BTC/USD', 'sell', '2', '130', '0.26'),
    ]);
    // opening fills realize minus their fee; (130 − 115)·2 − 0.26 = 29.74
    expect(pnls(rows)).toEqual([-0.1, -0.36, 29.74]);
    expect(rows.trips).toEqual([]);
    apply(store, [fill(T0 + 4000, 'BTC/USD', 'sell', '2', '110', '0.22')]);
    // (110 − 115)·2 − 0.22 = −10.22
    expect(rows.fills[3].realized_pnl).toBe(-10.22);
    expect(rows.trips).toEqual([
      {
        engine: 'e1',
        symbol: 'BTC/USD',
        strategy: 'mr',
        direction: 'long',
        opened_at: iso(T0 + 1000),
        closed_at: iso(T0 + 4000),
        quantity: 4,
        // entry (100 + 360) / 4 = 115; exit (260 + 220) / 4 = 120
        entry_price: 115,
        exit_price: 120,
        // −0.10 − 0.36 + 29.74 − 10.22 = 19.06; fees 0.94
        pnl: 19.06,
        fees: 0.94,
        pnl_quote: 19.06,
        fees_quote: 0.94,
        outcome: 'win',
        close_fill_id: rows.fills[3].fill_id,
      },
    ]);
  });

  test('a long → short flip ends one round trip and opens the other with the rest of the fill (fee pro rata)', () => {
    const { store, rows } = makeStore();
    apply(store, [
      fill(T0 + 1000, 'ETH/USD', 'buy', '2', '100', '2'),
      fill(T0 + 2000, 'ETH/USD', 'sell', '5', '110', '5'),
      fill(T0 + 3000, 'ETH/USD', 'buy', '4', '120', '4'),
    ]);
    // sell 5: closes 2 (fee 2), opens 3 short (fee 3): (110 − 100)·2 − 5 = 15
    // buy 4: closes 3 (fee 3), opens 1 long (fee 1): (110 − 120)·3 − 4 = −34
    expect(pnls(rows)).toEqual([-2, 15, -34]);
    expect(rows.trips.map((t) => [t.direction, t.opened_at, t.closed_at, t.quantity])).toEqual([
      ['long', iso(T0 + 1000), iso(T0 + 2000), 2],
      ['short', iso(T0 + 2000), iso(T0 + 3000), 3],
    ]);
    // long: −2 + 20 − 2 = 16 (fees 2 + 2); short: −3 − 30 − 3 = −36 (fees 3 + 3)
    expect(rows.trips.map((t) => [t.entry_price, t.exit_price, t.pnl, t.fees, t.outcome])).toEqual([
      [100, 110, 16, 4, 'win'],
      [110, 120, -36, 6, 'loss'],
    ]);
    // Σ realized_pnl = −21 = trading_realized_pnl
    expect(engineReport(store.engine('e1'), WINDOWS).realizedPnl).toBe(-21);
  });

  test('a fee in the base asset is worth the fill price and moves the quantity', () => {
    const { store, rows } = makeStore();
    apply(store, [
      // buy 1 BTC at 100, fee 0.01 BTC: 0.99 held, the fee realizes −0.01·100 = −1
      fill(T0 + 1000, 'BTC/USD', 'buy', '1', '100', '0.01', { fee_currency: 'BTC' }),
      // sell 0.98 at 110, fee 0.01 BTC: 0.99 leave; (110 − 100)·0.99 − 0.01·110 = 8.8
      fill(T0 + 2000, 'BTC/USD', 'sell', '0.98', '110', '0.01', { fee_currency: 'BTC' }),
    ]);
    expect(pnls(rows)).toEqual([-1, 8.8]);
    expect(rows.trips[0]).toMatchObject({
      direction: 'long',
      quantity: 0.99,
      entry_price: 100,
      exit_price: 110,
      pnl: 7.8,
      fees: 2.1,
      outcome: 'win',
    });
  });

  test('a fee in the quote currency of a BTC-quoted symbol is booked in USD at each fill’s rate', () => {
    const { store, rows } = makeStore();
    apply(store, [
      mark(T0, 'BTC/USD', '20000'),
      // fee 0.0001 BTC at 20000 = −2 USD
      fill(T0 + 1000, 'ETH/BTC', 'buy', '1', '0.05', '0.0001'),
      mark(T0 + 1500, 'BTC/USD', '30000'),
      // (0.06 − 0.05)·1 − 0.0001 = 0.0099 BTC at 30000 = 297 USD
      fill(T0 + 2000, 'ETH/BTC', 'sell', '1', '0.06', '0.0001'),
    ]);
    expect(pnls(rows)).toEqual([-2, 297]);
    // the trip: −2 + 297 = 295 USD, 0.0098 BTC; fees 2 + 3 = 5 USD, 0.0002 BTC
    expect(rows.trips[0]).toMatchObject({ pnl: 295, pnl_quote: 0.0098, fees: 5, fees_quote: 0.0002 });
    expect(engineReport(store.engine('e1'), WINDOWS).realizedPnl).toBe(295);
  });

  test('a break-even round trip: the move exactly pays the fees', () => {
    const { store, rows } = makeStore();
    apply(store, [
      fill(T0 + 1000, 'XRP/USD', 'sell', '1', '102', '1'),
      fill(T0 + 2000, 'XRP/USD', 'buy', '1', '100', '1'),
    ]);
    // short: −1, then (102 − 100)·1 − 1 = 1
    expect(pnls(rows)).toEqual([-1, 1]);
    expect(rows.trips[0]).toMatchObject({ direction: 'short', pnl: 0, fees: 2, outcome: 'breakeven' });
  });
});

const qtyArb = fc.integer({ min: 1, max: 5000 }).map((i) => (i / 100).toFixed(2));
const priceArb = fc.integer({ min: 100, max: 200_000 }).map((i) => (i / 100).toFixed(2));
const feeArb = fc.integer({ min: 0, max: 500 }).map((i) => (i / 1000).toFixed(3));
const eventArb = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      symbol: fc.constantFrom('BTC/USD', 'ETH/BTC', 'ETH/USD'),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: qtyArb,
      price: priceArb,
      fee: feeArb,
      fee_currency: fc.constantFrom(undefined, 'USD', 'BTC', 'ETH'),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('mark' as const),
      symbol: fc.constantFrom('BTC/USD', 'ETH/BTC', 'ETH/USD'),
      price: priceArb,
    }),
    weight: 1,
  },
);

describe('per-fill realized PnL, properties', () => {
  test('Σ of an engine’s fills’ realized_pnl = trading_realized_pnl (Σ over its symbols)', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 60 }), (list) => {
        const { store, rows } = makeStore();
        apply(
          store,
          list.map((e, i) =>
            e.kind === 'mark'
              ? mark(T0 + i, e.symbol, e.price)
              : fill(
                  T0 + i,
                  e.symbol,
                  e.side,
                  e.quantity,
                  e.price,
                  e.fee,
                  e.fee_currency ? { fee_currency: e.fee_currency } : {},
                ),
          ),
        );
        const report = engineReport(store.engine('e1'), WINDOWS);
        const sum = rows.fills.reduce((s, f) => s + f.realized_pnl, 0);
        expect(Math.abs(sum - report.realizedPnl)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(report.realizedPnl)),
        );
        // every round trip's quantity was opened and closed in full
        for (const t of rows.trips) expect(t.quantity).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
