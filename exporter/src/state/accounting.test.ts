/**
 * The accounting of one engine through the real validation and Store: hand-worked examples
 * (the arithmetic is written next to each expectation) and property-based invariants.
 */
import fc from 'fast-check';
import { validateBatch } from '../events/validate';
import type { AccountingNotice } from './engine';
import { engineReport } from './report';
import { Store } from './store';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const MIN = 60_000;
const WINDOWS = {
  windows: [
    { name: '1d', ms: 86_400_000 },
    { name: 'all', ms: null },
  ],
  periodsPerYear: 8760,
};

function makeStore(notices: AccountingNotice[] = []): Store {
  return new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
    onNotice: (n) => notices.push(n),
  });
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
  quantity: number | string,
  price: number | string,
  fee: number | string = 0,
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
  ...extra,
});
const mark = (ts: number, symbol: string, price: number | string) => ({ type: 'mark', ts, symbol, price });
const balance = (ts: number, balances: Record<string, number | string>) => ({
  type: 'balance',
  ts,
  balances,
});

describe('accounting, hand-worked', () => {
  test('fees in the quote currency: cash, realized PnL and equity agree to the cent', () => {
    const store = makeStore();
    apply(store, [
      balance(T0, { USD: '10000' }),
      fill(T0 + 1, 'BTC/USD', 'buy', '1', '100', '0.10', { fee_currency: 'USD' }),
      fill(T0 + 2, 'BTC/USD', 'buy', '3', '120', '0.36'),
      fill(T0 + 3, 'BTC/USD', 'sell', '2', '130', '0.26'),
      fill(T0 + 4, 'BTC/USD', 'sell', '2', '110', '0.22'),
      mark(T0 + 5, 'BTC/USD', '111'),
    ]);
    const r = engineReport(store.engine('e1'), WINDOWS);
    // cash: 10000 − 100.10 − 360.36 + 259.74 + 219.78 = 10019.06
    expect(r.cash.USD).toBe(10019.06);
    // realized: −0.46 + (130 − 115)·2 − 0.26 + (110 − 115)·2 − 0.22 = 19.06
    expect(r.realizedPnl).toBe(19.06);
    expect(r.equity).toBe(10019.06);
    expect(r.feesPaid).toEqual({ USD: 0.94 });
    expect(r.windows[1].trades).toMatchObject({
      roundTrips: 1,
      wins: 1,
      losses: 0,
      breakevens: 0,
      expectancy: 19.06,
    });
    expect(r.pnlIncomplete).toBe(false);
  });

  test('a fee in the base asset is worth the fill price and comes out of the quantity held', () => {
    const store = makeStore();
    apply(store, [
      balance(T0, { USD: '1000' }),
      // buy 1 BTC at 100, fee 0.01 BTC: 0.99 BTC held, fee worth 0.01·100 = 1 USD
      fill(T0 + 1, 'BTC/USD', 'buy', '1', '100', '0.01', { fee_currency: 'BTC' }),
      mark(T0 + 2, 'BTC/USD', '110'),
    ]);
    let r = engineReport(store.engine('e1'), WINDOWS);
    expect(r.positions[0]).toMatchObject({ quantity: 0.99, avgPrice: 100, realizedPnl: -1, notional: 108.9 });
    // unrealized (110 − 100)·0.99 = 9.9; equity 900 + 0.99·110 = 1008.9 = 1000 − 1 + 9.9
    expect(r.positions[0].unrealizedPnl).toBeCloseTo(9.9, 12);
    expect(r.equity).toBeCloseTo(1008.9, 9);
    expect(r.feesPaid).toEqual({ BTC: 0.01 });
    // sell 0.98 at 110 with fee 0.01 BTC: the venue takes 0.99 BTC, pays 0.98·110 = 107.8 USD
    apply(store, [fill(T0 + 3, 'BTC/USD', 'sell', '0.98', '110', '0.01', { fee_currency: 'BTC' })]);
    r = engineReport(store.engine('e1'), WINDOWS);
    // realized: −1 + (110 − 100)·0.99 − 0.01·110 = −1 + 9.9 − 1.1 = 7.8
    expect(r.positions[0].quantity).toBe(0);
    expect(r.realizedPnl).toBe(7.8);
    expect(r.cash.USD).toBe(1007.8);
    expect(r.equity).toBe(1007.8);
    expect(r.windows[1].trades.wins).toBe(1);
  });

  test('a fee in a fee token is converted through its mark and spent from that currency', () => {
    const store = makeStore();
    apply(store, [
      balance(T0, { USD: '1000', KFEE: '1000' }),
      mark(T0, 'KFEE/USD', '0.01'),
      fill(T0 + 1, 'XRP/USD', 'buy', '100', '0.5', '50', { fee_currency: 'KFEE' }),
      mark(T0 + 2, 'XRP/USD', '0.5'),
    ]);
    const r = engineReport(store.engine('e1'), WINDOWS);
    // 50 KFEE at 0.01 USD = 0.5 USD of fee
    expect(r.realizedPnl).toBe(-0.5);
    expect(r.cash).toEqual({ USD: 950, KFEE: 950 });
    expect(r.feesPaid).toEqual({ KFEE: 50 });
    expect(r.pnlIncomplete).toBe(false);
  });

  test('a fee with no mark is still counted, and the PnL says it is incomplete (metric and notice)', () => {
    const notices: AccountingNotice[] = [];
    const store = makeStore(notices);
    apply(store, [
      balance(T0, { USD: '1000' }),
      fill(T0 + 1, 'XRP/USD', 'buy', '100', '0.5', '0.02', { fee_currency: 'BNB' }),
      fill(T0 + 2, 'XRP/USD', 'sell', '100', '0.5', '0.03', { fee_currency: 'BNB' }),
    ]);
    const r = engineReport(store.engine('e1'), WINDOWS);
    expect(r.feesPaid).toEqual({ BNB: 0.05 });
    expect(r.realizedPnl).toBe(0);
    expect(r.pnlIncomplete).toBe(true);
    expect(r.unvalued).toEqual({ BNB: -0.05 });
    // one notice per engine and currency, not one per fill
    const feeNotices = notices.filter((n) => n.kind === 'fee_unvalued');
    expect(feeNotices).toHaveLength(1);
    expect(feeNotices[0]).toMatchObject({ engine: 'e1', subject: 'BNB' });
    expect(feeNotices[0].message).toContain('0.02 BNB');
    // the BNB cash the fees spent has no value either, and equity says so
    expect(r.valuationGaps).toEqual(['BNB']);
  });

  test('a symbol quoted in BTC is valued through BTC/USD; realized PnL at fill-time rates', () => {
    const store = makeStore();
    apply(store, [
      balance(T0, { USD: '10000' }),
      mark(T0, 'BTC/USD', '50000'),
      mark(T0, 'ETH/BTC', '0.05'),
      fill(T0 + 1, 'ETH/BTC', 'buy', '2', '0.05', '0.0001'),
      mark(T0 + 2, 'ETH/BTC', '0.06'),
      mark(T0 + 2, 'BTC/USD', '40000'),
    ]);
    let r = engineReport(store.engine('e1'), WINDOWS);
    const eth = () => r.positions.find((p) => p.symbol === 'ETH/BTC')!;
    // notional 2·0.06 BTC · 40 000 = 4800 USD; unrealized (0.06 − 0.05)·2 = 0.02 BTC = 800 USD
    expect(eth().notional).toBeCloseTo(4800, 9);
    expect(eth().unrealizedPnl).toBeCloseTo(800, 9);
    // the opening fee, 0.0001 BTC, was booked at 50 000: 5 USD
    expect(eth().realizedPnl).toBe(-5);
    apply(store, [fill(T0 + 3, 'ETH/BTC', 'sell', '2', '0.06', '0.00012')]);
    r = engineReport(store.engine('e1'), WINDOWS);
    // closing: (0.02 − 0.00012) BTC at 40 000 = 795.2; total −5 + 795.2 = 790.2
    expect(eth().realizedPnl).toBe(790.2);
    expect(eth().realizedPnlQuote).toBe(0.01978);
    expect(r.windows[1].trades).toMatchObject({ roundTrips: 1, wins: 1, grossProfit: 790.2 });
    // the BTC cash the trades moved is valued at the current BTC/USD: 0.01978 · 40 000 = 791.2
    expect(r.cash.BTC).toBe(0.01978);
    expect(r.equity).toBeCloseTo(10000 + 791.2, 9);
  });

  test('a break-even round trip is neither a win nor a loss and leaves consecutive losses as they are', () => {
    const store = makeStore();
    apply(store, [
      fill(T0 + 1, 'BTC/USD', 'buy', 1, 100, 1),
      fill(T0 + 2, 'BTC/USD', 'sell', 1, 99, 0), // −2: loss
      fill(T0 + 3, 'BTC/USD', 'buy', 1, 100, 1),
      fill(T0 + 4, 'BTC/USD', 'sell', 1, 102, 1), // −1 + 2 − 1 = 0: break-even
      fill(T0 + 5, 'BTC/USD', 'buy', 1, 100, 0),
      fill(T0 + 6, 'BTC/USD', 'sell', 1, 97, 0), // −3: loss
    ]);
    const s = store.engine('e1');
    expect(s.portfolio.consecutiveLosses).toBe(2);
    let r = engineReport(s, WINDOWS);
    // win rate 0/3; profit factor 0 / 5 = 0; expectancy (−2 + 0 − 3)/3
    expect(r.windows[1].trades).toMatchObject({
      roundTrips: 3,
      wins: 0,
      losses: 2,
      breakevens: 1,
      winRate: 0,
      profitFactor: 0,
      averageLoss: -2.5,
    });
    expect(r.windows[1].trades.expectancy).toBeCloseTo(-5 / 3, 12);
    apply(store, [fill(T0 + 7, 'BTC/USD', 'buy', 1, 100, 0), fill(T0 + 8, 'BTC/USD', 'sell', 1, 104, 0)]); // +4: a win resets
    expect(s.portfolio.consecutiveLosses).toBe(0);
    r = engineReport(s, WINDOWS);
    // profit factor 4 / |−5| = 0.8; average win 4
    expect(r.windows[1].trades).toMatchObject({ wins: 1, profitFactor: 0.8, averageWin: 4 });
  });

  test('round trips are kept per strategy as well as per engine', () => {
    const store = makeStore();
    apply(store, [
      fill(T0 + 1, 'BTC/USD', 'buy', 1, 100, 0, { strategy: 'momentum' }),
      fill(T0 + 2, 'BTC/USD', 'sell', 1, 110, 0, { strategy: 'momentum' }),
      fill(T0 + 3, 'ETH/USD', 'buy', 1, 100, 0, { strategy: 'carry' }),
      fill(T0 + 4, 'ETH/USD', 'sell', 1, 95, 0, { strategy: 'carry' }),
    ]);
    const r = engineReport(store.engine('e1'), WINDOWS);
    const by = Object.fromEntries(r.strategies.map((s) => [s.strategy, s]));
    expect(by.momentum.allTime).toMatchObject({ roundTrips: 1, wins: 1, netPnl: 10 });
    expect(by.carry.allTime).toMatchObject({ roundTrips: 1, losses: 1, netPnl: -5 });
    expect(by.carry.consecutiveLosses).toBe(1);
    expect(r.roundTrips).toEqual(
      expect.arrayContaining([
        { strategy: 'momentum', outcome: 'win', count: 1 },
        { strategy: 'carry', outcome: 'loss', count: 1 },
      ]),
    );
  });

  test('exposure and concentration: gross |notional| over equity, overall and per symbol', () => {
    const store = makeStore();
    apply(store, [
      balance(T0, { USD: '10000' }),
      fill(T0 + 1, 'BTC/USD', 'buy', 0.01, 50000, 0), // 500 long
      fill(T0 + 2, 'ETH/USD', 'sell', 1, 1500, 0), // 1500 short
      mark(T0 + 3, 'BTC/USD', 50000),
      mark(T0 + 3, 'ETH/USD', 1500),
    ]);
    const r = engineReport(store.engine('e1'), WINDOWS);
    // cash 10000 − 500 + 1500 = 11000; equity 11000 + 500 − 1500 = 10000
    expect(r.equity).toBe(10000);
    expect(r.exposure).toBeCloseTo(0.2, 12); // (500 + 1500) / 10000
    expect(r.concentration['BTC/USD']).toBeCloseTo(0.05, 12);
    expect(r.concentration['ETH/USD']).toBeCloseTo(0.15, 12);
  });

  test('cash ledger: a fill at or before the latest balance is taken as already in it; the gap is exported', () => {
    const store = makeStore();
    apply(store, [
      balance(T0 + 10, { USD: '1000' }),
      fill(T0 + 5, 'BTC/USD', 'buy', 1, 100, 0), // before the balance: already in it
      fill(T0 + 20, 'BTC/USD', 'buy', 1, 100, 1), // after: moves the ledger to 899
      balance(T0 + 30, { USD: '898.5' }),
    ]);
    const r = engineReport(store.engine('e1'), WINDOWS);
    expect(r.cash.USD).toBe(898.5);
    expect(r.cashReconciliationGap.USD).toBe(-0.5);
  });

  test('equity leaves out what it cannot value, and says so', () => {
    const notices: AccountingNotice[] = [];
    const store = makeStore(notices);
    apply(store, [balance(T0, { USD: '1000' }), fill(T0 + 1, 'SOL/ETH', 'buy', 1, 0.05, 0)]);
    const s = store.engine('e1');
    expect(s.portfolio.valuationGaps).toEqual(['ETH', 'SOL/ETH']);
    expect(s.portfolio.pnlIncomplete).toBe(true);
    expect(notices.map((n) => n.kind)).toEqual(expect.arrayContaining(['valuation_gap']));
    apply(store, [mark(T0 + 2, 'SOL/ETH', 0.05), mark(T0 + 2, 'ETH/USD', 2000)]);
    expect(s.portfolio.valuationGaps).toEqual([]);
    // cash 1000 USD − 0.05 ETH (= −100 USD) + 1 SOL (= 0.05 ETH = 100 USD)
    expect(s.portfolio.equityNow()).toBeCloseTo(1000, 9);
  });
});

// ---- properties ----------------------------------------------------------------------

/** Quantities and prices with few decimals, as venues send them (decimal strings). */
const qtyArb = fc.integer({ min: 1, max: 5000 }).map((i) => (i / 100).toFixed(2));
const priceArb = fc.integer({ min: 100, max: 200_000 }).map((i) => (i / 100).toFixed(2));
const feeArb = fc.integer({ min: 0, max: 500 }).map((i) => (i / 1000).toFixed(3));
const fillArb = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: qtyArb,
  price: priceArb,
  fee: feeArb,
});

describe('accounting, properties', () => {
  test('realized + unrealized PnL = mark-to-market change of the fills minus fees', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 25 }), priceArb, (fills, markPrice) => {
        const store = makeStore();
        apply(store, [
          ...fills.map((f, i) => fill(T0 + i, 'BTC/USD', f.side, f.quantity, f.price, f.fee)),
          mark(T0 + fills.length, 'BTC/USD', markPrice),
        ]);
        const p = engineReport(store.engine('e1'), WINDOWS).positions[0];
        // Σ signed quantity · (mark − price) − Σ fees
        let expected = 0;
        for (const f of fills)
          expected +=
            (f.side === 'buy' ? 1 : -1) * Number(f.quantity) * (Number(markPrice) - Number(f.price)) -
            Number(f.fee);
        const total = p.realizedPnl + (p.unrealizedPnl ?? 0);
        expect(Math.abs(total - expected)).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected)));
      }),
      { numRuns: 200 },
    );
  });

  test('splitting a fill into parts gives the same position and PnL', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 15 }),
        fc.nat(),
        fc.integer({ min: 2, max: 5 }),
        (fills, which, parts) => {
          const k = which % fills.length;
          const whole = makeStore();
          apply(
            whole,
            fills.map((f, i) => fill(T0 + i, 'BTC/USD', f.side, f.quantity, f.price, f.fee)),
          );
          const split = makeStore();
          const events: Record<string, unknown>[] = [];
          fills.forEach((f, i) => {
            if (i !== k) return void events.push(fill(T0 + i, 'BTC/USD', f.side, f.quantity, f.price, f.fee));
            // parts of the quantity (in cents) and of the fee (in tenths of a milli), summing exactly
            const cents = Math.round(Number(f.quantity) * 100);
            const feeUnits = Math.round(Number(f.fee) * 10000);
            const n = Math.min(parts, cents);
            for (let j = 0; j < n; j++) {
              const q = Math.floor(cents / n) + (j < cents % n ? 1 : 0);
              const fe = Math.floor(feeUnits / n) + (j < feeUnits % n ? 1 : 0);
              events.push(
                fill(T0 + i, 'BTC/USD', f.side, (q / 100).toFixed(2), f.price, (fe / 10000).toFixed(4)),
              );
            }
          });
          apply(split, events);
          const a = whole.engine('e1').portfolio.positions.get('BTC/USD')!;
          const b = split.engine('e1').portfolio.positions.get('BTC/USD')!;
          expect(b.quantity.toString()).toBe(a.quantity.toString());
          expect(Math.abs(b.avgPrice.toNumber() - a.avgPrice.toNumber())).toBeLessThan(1e-9);
          // a fill that crosses zero splits its fee pro rata whichever way it is cut
          expect(Math.abs(b.realized.toNumber() - a.realized.toNumber())).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });

  const eventArb = fc.oneof(
    fc.record({
      kind: fc.constant('fill' as const),
      symbol: fc.constantFrom('BTC/USD', 'ETH/BTC'),
      f: fillArb,
      fee_currency: fc.constantFrom(undefined, 'USD', 'BTC', 'ETH', 'BNB'),
    }),
    fc.record({
      kind: fc.constant('mark' as const),
      symbol: fc.constantFrom('BTC/USD', 'ETH/BTC', 'BNB/USD'),
      price: priceArb,
    }),
    fc.record({ kind: fc.constant('balance' as const), usd: fc.integer({ min: 0, max: 1_000_000 }) }),
  );
  const toEvents = (list: fc.infer<typeof eventArb>[], gaps: number[]) => {
    let ts = T0;
    return list.map((e, i) => {
      ts += gaps[i % gaps.length] * MIN;
      if (e.kind === 'fill')
        return fill(
          ts,
          e.symbol,
          e.f.side,
          e.f.quantity,
          e.f.price,
          e.f.fee,
          e.fee_currency ? { fee_currency: e.fee_currency } : {},
        );
      if (e.kind === 'mark') return mark(ts, e.symbol, e.price);
      return balance(ts, { USD: e.usd });
    });
  };

  test('replaying the same events twice gives the same report, whatever the wall clock says', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 240 }), { minLength: 1, maxLength: 5 }),
        (list, gaps) => {
          const events = toEvents(list, gaps);
          const a = makeStore();
          apply(a, events);
          const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2031-07-01T12:00:00Z'));
          const b = makeStore();
          try {
            apply(b, events);
          } finally {
            clock.mockRestore();
          }
          expect(JSON.stringify(engineReport(b.engine('e1'), WINDOWS))).toBe(
            JSON.stringify(engineReport(a.engine('e1'), WINDOWS)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
