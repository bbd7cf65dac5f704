/**
 * The built-in demo: a seeded, deterministic paper-trading simulation. Given the seed and
 * the tick times it produces the same events, and they go through the same ingest path
 * (validation included) as any engine's.
 */
import type { TradingEventInput } from '../events/schema';

/** mulberry32: a tiny, well-known seeded PRNG; deterministic across platforms. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Market {
  symbol: string;
  price: number;
  /** Price decimals and quantity decimals the venue would use. */
  pxDp: number;
  qtyDp: number;
}

interface WorkingOrder {
  id: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'limit' | 'market';
  qty: number;
  filled: number;
  limit?: number;
  fees: number;
  notional: number;
  strategy: string;
  createdAt: number;
  ticks: number;
}

const STRATEGIES = ['momentum', 'mean_reversion'] as const;
/**
 * A market-data gap now and then: every GAP_EVERY ticks one symbol (in turn) sends no marks
 * for GAP_TICKS ticks (150 s at the default 250 ms tick, past the 120 s stale-data alert),
 * while the engine keeps trading it on the true price.
 */
export const GAP_EVERY = 1200;
export const GAP_START = 300;
export const GAP_TICKS = 600;
const TAKER_FEE = 0.0026;
const MAKER_FEE = 0.0016;

export class DemoEngine {
  private readonly rand: () => number;
  private readonly markets: Market[] = [
    { symbol: 'BTC/USD', price: 64000, pxDp: 1, qtyDp: 5 },
    { symbol: 'ETH/USD', price: 3200, pxDp: 2, qtyDp: 4 },
    { symbol: 'XRP/USD', price: 0.55, pxDp: 5, qtyDp: 1 },
    { symbol: 'DOGE/USD', price: 0.16, pxDp: 6, qtyDp: 0 },
  ];
  private readonly working = new Map<string, WorkingOrder>();
  private readonly positions = new Map<string, number>();
  private cash = 100_000;
  private tick = 0;
  private run = '';
  private seq = 0;
  private strategy: string = STRATEGIES[0];
  private haltedUntil = -1;
  private peakEquity = 100_000;
  private dayStartEquity = 100_000;

  constructor(
    seed: number,
    readonly engine = 'demo',
  ) {
    this.rand = seededRandom(seed);
  }

  /** The events of one tick at event time `now` (epoch ms). */
  next(now: number): TradingEventInput[] {
    const out: TradingEventInput[] = [];
    const ts = now;
    const base = { ts, engine: this.engine };
    const t = this.tick++;

    if (t === 0) {
      // Ids carry the run (its first tick's time), so a restarted demo never repeats the
      // ids the restored state already holds; and it starts with a full resync, which
      // replaces the previous run's open orders, positions and cash.
      this.run = Math.floor(now / 1000).toString(36);
      out.push({
        type: 'snapshot',
        ...base,
        orders: [],
        positions: [],
        balances: { USD: this.cash.toFixed(2) },
      });
      out.push({ type: 'strategy', ...base, strategy: this.strategy, state: 'active' });
      out.push({ type: 'health', ...base, component: 'market_data', status: 'ok', venue: 'kraken' });
    }

    // Marks: a random walk with a little drift noise per market (silent during a gap).
    const gap = this.gapSymbol(t);
    if (t % GAP_EVERY === GAP_START || (t > GAP_START && t % GAP_EVERY === GAP_START + GAP_TICKS)) {
      const starts = t % GAP_EVERY === GAP_START;
      out.push({
        type: 'health',
        ...base,
        component: 'market_data',
        status: starts ? 'degraded' : 'ok',
        venue: 'kraken',
      });
    }
    for (const m of this.markets) {
      m.price = round(m.price * Math.exp((this.rand() - 0.5) * 0.0012), m.pxDp);
      if (m.symbol === gap) continue;
      const spread = m.price * 0.0002;
      out.push({
        type: 'mark',
        ...base,
        symbol: m.symbol,
        price: m.price,
        bid: round(m.price - spread, m.pxDp),
        ask: round(m.price + spread, m.pxDp),
      });
    }

    // Venue latency, and now and then an error.
    const latency = Math.min(8, Math.exp(Math.log(0.12) + (this.rand() - 0.5) * 1.6));
    const failed = this.rand() < 0.03;
    out.push({
      type: 'health',
      ...base,
      component: 'kraken_api',
      venue: 'kraken',
      endpoint: 'AddOrder',
      latency_seconds: round(latency, 4),
      status: failed ? 'degraded' : 'ok',
      ...(failed ? { error: 'EAPI:Rate limit exceeded' } : {}),
    });

    // A strategy transition early on, then now and then.
    if (t === 40 || (t > 40 && t % 240 === 40)) {
      const from = this.strategy;
      const to =
        STRATEGIES[(STRATEGIES.indexOf(from as (typeof STRATEGIES)[number]) + 1) % STRATEGIES.length];
      out.push({
        type: 'strategy',
        ...base,
        strategy: from,
        state: 'transitioning',
        from_strategy: from,
        to_strategy: to,
      });
      out.push({
        type: 'strategy',
        ...base,
        strategy: to,
        state: 'active',
        from_strategy: from,
        to_strategy: to,
      });
      this.strategy = to;
    }

    // A risk halt early on, then now and then; it resumes after a while.
    if (t === 60 || (t > 60 && t % 400 === 60)) {
      this.haltedUntil = t + 20;
      out.push({ type: 'risk', ...base, halted: true, halt_reason: 'demo: volatility circuit breaker' });
      out.push({
        type: 'alert',
        ...base,
        id: `demo-halt-${this.run}-${t}`,
        name: 'trading_halted',
        severity: 'warning',
        message: 'Volatility circuit breaker tripped; new orders paused.',
      });
    } else if (t === this.haltedUntil) {
      out.push({ type: 'risk', ...base, halted: false });
      out.push({
        type: 'alert',
        ...base,
        id: `demo-resume-${this.run}-${t}`,
        name: 'trading_resumed',
        severity: 'info',
        message: 'Trading resumed after the circuit breaker.',
      });
    }
    const halted = t < this.haltedUntil;

    this.workOrders(out, base, halted);
    if (!halted && this.rand() < 0.6) this.newSignal(out, base, now);

    // Risk measures the engine reports against its own limits.
    const equity = this.equity();
    this.peakEquity = Math.max(this.peakEquity, equity);
    if (t % 4 === 0) {
      const gross = this.markets.reduce(
        (s, m) => s + Math.abs((this.positions.get(m.symbol) ?? 0) * m.price),
        0,
      );
      const largest = this.markets.reduce(
        (s, m) => Math.max(s, Math.abs((this.positions.get(m.symbol) ?? 0) * m.price)),
        0,
      );
      out.push({
        type: 'risk',
        ...base,
        limits: {
          drawdown: { value: round((this.peakEquity - equity) / this.peakEquity, 6), limit: 0.1 },
          daily_loss: {
            value: round(Math.max(0, (this.dayStartEquity - equity) / this.dayStartEquity), 6),
            limit: 0.03,
          },
          position_concentration: { value: round(largest / equity, 6), limit: 0.4 },
          gross_exposure: { value: round(gross / equity, 6), limit: 1.5 },
        },
      });
    }
    if (t > 0 && t % 100 === 0)
      out.push({ type: 'balance', ...base, balances: { USD: this.cash.toFixed(8) } });
    return out;
  }

  /** The symbol whose marks pause at tick t, if any. */
  private gapSymbol(t: number): string | null {
    const phase = t % GAP_EVERY;
    if (phase < GAP_START || phase >= GAP_START + GAP_TICKS) return null;
    return this.markets[Math.floor(t / GAP_EVERY) % this.markets.length].symbol;
  }

  private newSignal(out: TradingEventInput[], base: { ts: number; engine: string }, now: number): void {
    const m = this.markets[Math.floor(this.rand() * this.markets.length)];
    const held = this.positions.get(m.symbol) ?? 0;
    // Mostly unwind what is held (so round trips complete), otherwise open either way.
    const side: 'buy' | 'sell' =
      held !== 0 && this.rand() < 0.6 ? (held > 0 ? 'sell' : 'buy') : this.rand() < 0.55 ? 'buy' : 'sell';
    const signalId = `sig-${this.run}-${this.seq++}`;
    const strategy = this.strategy;
    out.push({
      type: 'signal',
      ...base,
      signal_id: signalId,
      symbol: m.symbol,
      side,
      decision: 'proposed',
      strategy,
    });
    if (this.rand() < 0.15) {
      out.push({
        type: 'signal',
        ...base,
        signal_id: signalId,
        symbol: m.symbol,
        side,
        decision: 'rejected',
        strategy,
        reason: 'position limit',
      });
      return;
    }
    out.push({
      type: 'signal',
      ...base,
      signal_id: signalId,
      symbol: m.symbol,
      side,
      decision: 'approved',
      strategy,
    });

    const unwinding = held !== 0 && (side === 'sell') === held > 0;
    const notional = 1500 + this.rand() * 6000;
    const qty = unwinding && this.rand() < 0.7 ? Math.abs(held) : round(notional / m.price, m.qtyDp);
    if (qty <= 0) return;
    const id = `demo-${this.run}-${this.seq++}`;
    const type: 'limit' | 'market' = this.rand() < 0.35 ? 'market' : 'limit';
    // Limits a little away from the market, so a blotter always has working orders resting.
    const offset = (side === 'buy' ? -1 : 1) * m.price * (0.0004 + this.rand() * 0.004);
    const order: WorkingOrder = {
      id,
      symbol: m.symbol,
      side,
      type,
      qty,
      filled: 0,
      fees: 0,
      notional: 0,
      strategy,
      createdAt: now,
      ticks: 0,
      ...(type === 'limit' ? { limit: round(m.price + offset, m.pxDp) } : {}),
    };
    if (this.rand() < 0.05) {
      out.push(this.orderEvent(base, order, 'rejected', 'EOrder:Insufficient funds'));
      return;
    }
    out.push(this.orderEvent(base, order, 'new'));
    // A market order pays a little slippage against the mark (mostly worse, now and then better).
    const slip = (side === 'buy' ? 1 : -1) * m.price * (this.rand() * 0.0008 - 0.0001);
    if (type === 'market') this.fill(out, base, order, order.qty, round(m.price + slip, m.pxDp), 'taker');
    else this.working.set(id, order);
  }

  private workOrders(out: TradingEventInput[], base: { ts: number; engine: string }, halted: boolean): void {
    for (const o of [...this.working.values()]) {
      o.ticks += 1;
      const m = this.markets.find((x) => x.symbol === o.symbol) as Market;
      const touched =
        o.side === 'buy' ? m.price <= (o.limit as number) * 1.0002 : m.price >= (o.limit as number) * 0.9998;
      if (touched && this.rand() < 0.6) {
        const remaining = o.qty - o.filled;
        const part = this.rand() < 0.5 ? remaining : round(remaining * (0.3 + this.rand() * 0.4), m.qtyDp);
        // At the limit, or better when the market went through it.
        const limit = o.limit as number;
        const px = o.side === 'buy' ? Math.min(limit, m.price) : Math.max(limit, m.price);
        this.fill(out, base, o, part > 0 ? part : remaining, px, 'maker');
      } else if (halted || o.ticks > 160 || this.rand() < 0.006) {
        this.working.delete(o.id);
        out.push(this.orderEvent(base, o, 'canceled', halted ? 'risk halt' : 'stale'));
      }
    }
  }

  private fill(
    out: TradingEventInput[],
    base: { ts: number; engine: string },
    o: WorkingOrder,
    qty: number,
    price: number,
    liquidity: 'maker' | 'taker',
  ): void {
    const m = this.markets.find((x) => x.symbol === o.symbol) as Market;
    qty = Math.min(round(qty, m.qtyDp), o.qty - o.filled);
    if (qty <= 0) return;
    const fee = round(qty * price * (liquidity === 'maker' ? MAKER_FEE : TAKER_FEE), 8);
    o.filled = round(o.filled + qty, m.qtyDp);
    o.fees = round(o.fees + fee, 8);
    o.notional += qty * price;
    this.cash += (o.side === 'buy' ? -1 : 1) * qty * price - fee;
    this.positions.set(
      o.symbol,
      round((this.positions.get(o.symbol) ?? 0) + (o.side === 'buy' ? qty : -qty), m.qtyDp),
    );
    out.push({
      type: 'fill',
      ...base,
      fill_id: `${o.id}-f${this.seq++}`,
      order_id: o.id,
      symbol: o.symbol,
      side: o.side,
      price,
      quantity: qty,
      fee,
      fee_currency: 'USD',
      liquidity,
      strategy: o.strategy,
    });
    const done = o.filled >= o.qty;
    if (done) this.working.delete(o.id);
    out.push(this.orderEvent(base, o, done ? 'filled' : 'partially_filled'));
  }

  private orderEvent(
    base: { ts: number; engine: string },
    o: WorkingOrder,
    status: 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected',
    reason?: string,
  ): TradingEventInput {
    return {
      type: 'order',
      ...base,
      order_id: o.id,
      symbol: o.symbol,
      side: o.side,
      order_type: o.type,
      status,
      quantity: o.qty,
      filled_quantity: o.filled,
      ...(o.filled > 0 ? { avg_fill_price: o.notional / o.filled } : {}),
      ...(o.limit !== undefined ? { limit_price: o.limit } : {}),
      fees: o.fees,
      fee_currency: 'USD',
      strategy: o.strategy,
      time_in_force: 'GTC',
      created_at: o.createdAt,
      venue: 'kraken',
      ...(reason ? { reason } : {}),
    };
  }

  private equity(): number {
    return this.cash + this.markets.reduce((s, m) => s + (this.positions.get(m.symbol) ?? 0) * m.price, 0);
  }
}

function round(v: number, dp: number): number {
  const f = 10 ** dp;
  return Math.round(v * f) / f;
}

/** Runs the demo on a timer through the ingest path, event time = wall clock. */
export class DemoSource {
  private timer: NodeJS.Timeout | null = null;
  private readonly engine: DemoEngine;

  constructor(
    private readonly ingest: (events: unknown[]) => Promise<{ ok: boolean }>,
    private readonly options: { seed: number; intervalMs: number; engine: string },
    private readonly onProblem: (message: string) => void,
  ) {
    this.engine = new DemoEngine(options.seed, options.engine);
  }

  start(): void {
    let busy = false;
    const tick = () => {
      if (busy) return; // never pile up behind a slow disk
      busy = true;
      this.ingest(this.engine.next(Date.now()))
        .then((r) => {
          if (!r.ok) this.onProblem('the demo produced an invalid batch');
        })
        .catch((err: Error) => this.onProblem(err.message))
        .finally(() => (busy = false));
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
