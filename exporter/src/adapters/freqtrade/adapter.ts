/**
 * The freqtrade adapter (`?format=freqtrade`, run by the ingest service inside its queue):
 * the source's records (records.ts: freqtrade's own answers, tagged with the bot) to
 * tradewatch events. Pure apart from what it asks of the store through `deps`.
 *
 * - trade (from /status, /trades, /trade/{id}): orders, fills and signals (orders.ts), and
 *   a mark from an open trade's `current_rate`.
 * - trade_gone: an open trade that freqtrade deleted (an entry cancelled before anything
 *   filled): its orders still active here become `canceled`.
 * - balance (/balance): a `balance` event of each currency's total (positions of a futures
 *   account are positions, not cash; a futures wallet is margin, so its stake currency is
 *   booked less the open positions' entry value, the way the ledger sees a spot fill), and the bot's own equity (`total`, in the stake
 *   currency) as the risk figure `engine_reported_equity`.
 * - profit (/profit): freqtrade's realized profit, `profit_closed_coin` plus the
 *   `realized_profit` of open trades (partial exits), as `engine_reported_realized_pnl`.
 * - health (/health): `last_process_ts` (the bot's last loop) as a heartbeat: a `health`
 *   event of component `freqtrade_bot` at that time, and the time as the figure
 *   `engine_last_process_timestamp_seconds`.
 * - locks (/locks): an active lock on every pair (`*`, a global protection) halts the engine
 *   (`trading_halted`) until it ends, its reason the halt reason.
 * - api: the source reached the API (ok) or not (down, with its cause): component `freqtrade_api`.
 * - message (the message WebSocket): `warning` and `exception` become engine alerts,
 *   `protection_trigger(_global)` a warning alert (a pair or the bot locked), `strategy_msg`
 *   an info alert. Entries and exits carry no fees and no order ids: the source reads REST
 *   on them (REST is the truth), so they give no event here. An unknown type is refused.
 *
 * A record the adapter cannot use (a shape no release of freqtrade sends, an event the
 * schema refuses) is refused alone, named in `refused`; the rest of the batch goes on.
 */
import type { Adapter } from '../../ingest/ingestor';
import type { TradingEventInput } from '../../events/schema';
import { validateEvent, type EventProblem } from '../../events/validate';
import { dec, plain, tradeEvents, tradeKey, type KnownFtOrder } from './orders';
import { freqtradeRecord, ftBalance, ftHealth, ftLocks, ftMessage, ftProfit, ftTrade } from './records';

/** An order still active here that belongs to a trade (found by its client order id). */
export interface ActiveFtOrder extends KnownFtOrder {
  order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  order_type: 'limit' | 'market' | 'stop' | 'stop_limit';
  quantity: number;
  strategy?: string;
}

export interface FreqtradeAdapterDeps {
  knownOrder(engine: string, orderId: string): KnownFtOrder | undefined;
  activeOrdersOfTrade(engine: string, clientOrderId: string): ActiveFtOrder[];
}

/** Message types that carry nothing the REST answers do not (the source polls on them). */
export const TRIGGER_MESSAGES: ReadonlySet<string> = new Set([
  'entry',
  'entry_fill',
  'entry_cancel',
  'exit',
  'exit_fill',
  'exit_cancel',
]);
/** Message types that are read and left: informative, or what the REST poll already gives. */
const QUIET_MESSAGES: ReadonlySet<string> = new Set([
  'status',
  'startup',
  'whitelist',
  'new_candle',
  'analyzed_df',
]);

export const ENGINE_REPORTED_EQUITY = 'engine_reported_equity';
export const ENGINE_REPORTED_REALIZED_PNL = 'engine_reported_realized_pnl';
export const ENGINE_LAST_PROCESS = 'engine_last_process_timestamp_seconds';

type Problem = { field: string; reason: string };

function problemOf(issues: { path: PropertyKey[]; message: string }[], prefix: string): Problem {
  const first = issues[0];
  const path = first ? first.path.map(String).join('.') : '';
  return { field: [prefix, path].filter(Boolean).join('.'), reason: first?.message ?? 'is not valid' };
}

export function createFreqtradeAdapter(deps: FreqtradeAdapterDeps): Adapter {
  return (raws) => {
    const events: TradingEventInput[] = [];
    const refused: EventProblem[] = [];
    // Order states emitted earlier in this batch (the store has not applied them yet).
    const batchKnown = new Map<string, KnownFtOrder>();
    raws.forEach((raw, index) => {
      const pending = new Map<string, KnownFtOrder>();
      const made = recordEvents(raw, deps, batchKnown, pending);
      if ('problem' in made) {
        refused.push({ index, ...made.problem });
        return;
      }
      // An event the schema refuses refuses its record alone (and what it would have taught).
      for (const e of made.events) {
        const checked = validateEvent(e, index);
        if (Array.isArray(checked)) {
          refused.push({ index, field: `${e.type}.${checked[0].field}`, reason: checked[0].reason });
          return;
        }
      }
      for (const [k, v] of pending) batchKnown.set(k, v);
      events.push(...made.events);
    });
    return { ok: true, events, refused };
  };
}

function recordEvents(
  raw: unknown,
  deps: FreqtradeAdapterDeps,
  batchKnown: Map<string, KnownFtOrder>,
  pending: Map<string, KnownFtOrder>,
): { events: TradingEventInput[] } | { problem: Problem } {
  const rec = freqtradeRecord.safeParse(raw);
  if (!rec.success) return { problem: problemOf(rec.error.issues, '') };
  const r = rec.data;
  const engine = r.bot;
  const at = Math.trunc(r.at);
  switch (r.kind) {
    case 'trade': {
      const t = ftTrade.safeParse(r.trade);
      if (!t.success) return { problem: problemOf(t.error.issues, 'trade') };
      const key = (id: string) => `${engine}\u0000${id}`;
      return {
        events: tradeEvents(
          engine,
          t.data,
          at,
          (id) => pending.get(key(id)) ?? batchKnown.get(key(id)) ?? deps.knownOrder(engine, id),
          (id, state) => pending.set(key(id), state),
        ),
      };
    }
    case 'trade_gone': {
      const out: TradingEventInput[] = [];
      for (const o of deps.activeOrdersOfTrade(engine, tradeKey(r.trade_id))) {
        out.push({
          type: 'order',
          ts: Math.max(at, o.updated_at),
          engine,
          order_id: o.order_id,
          symbol: o.symbol,
          side: o.side,
          order_type: o.order_type,
          status: 'canceled',
          quantity: o.quantity,
          filled_quantity: o.filled_quantity,
          ...(o.avg_fill_price !== undefined ? { avg_fill_price: o.avg_fill_price } : {}),
          fees: o.fees,
          ...(o.fee_currency ? { fee_currency: o.fee_currency } : {}),
          ...(o.strategy ? { strategy: o.strategy } : {}),
          reason: `trade ${r.trade_id} deleted by freqtrade (entry cancelled)`,
        });
      }
      return { events: out };
    }
    case 'balance': {
      const b = ftBalance.safeParse(r.balance);
      if (!b.success) return { problem: problemOf(b.error.issues, 'balance') };
      const balances: Record<string, string> = {};
      for (const c of b.data.currencies) {
        if (c.is_position) continue;
        const code = c.currency.toUpperCase();
        balances[code] = plain(dec(c.balance).add(balances[code] ?? 0));
      }
      // tradewatch's ledger books a fill's notional as cash (a short sale receives it); a
      // futures wallet holds only margin: its cash is the wallet less the positions' entry value.
      if (r.futures_positions) {
        const stake = b.data.stake.toUpperCase();
        let cash = dec(0).add(balances[stake] ?? 0);
        for (const p of r.futures_positions) {
          const value = dec(p.amount).mul(dec(p.open_rate));
          cash = p.is_short ? cash.add(value) : cash.sub(value);
        }
        balances[stake] = plain(cash);
      }
      const out: TradingEventInput[] = [];
      if (Object.keys(balances).length > 0) out.push({ type: 'balance', ts: at, engine, balances });
      if (b.data.total !== null && b.data.total !== undefined) {
        const total = plain(dec(b.data.total));
        out.push({
          type: 'risk',
          ts: at,
          engine,
          limits: { [ENGINE_REPORTED_EQUITY]: { value: total, limit: total } },
        });
      }
      return { events: out };
    }
    case 'profit': {
      const p = ftProfit.safeParse(r.profit);
      if (!p.success) return { problem: problemOf(p.error.issues, 'profit') };
      let realized = dec(p.data.profit_closed_coin);
      for (const x of r.open_realized) realized = realized.add(dec(x));
      const value = plain(realized);
      return {
        events: [
          {
            type: 'risk',
            ts: at,
            engine,
            limits: { [ENGINE_REPORTED_REALIZED_PNL]: { value, limit: value } },
          },
        ],
      };
    }
    case 'health': {
      const h = ftHealth.safeParse(r.health);
      if (!h.success) return { problem: problemOf(h.error.issues, 'health') };
      const last = h.data.last_process_ts;
      // A bot that has not run its loop yet (null) has no heartbeat to give.
      if (last === null || last === undefined) return { events: [] };
      // The time itself as a figure too: polls keep marks (and so the engine's last event)
      // fresh while the bot's loop may have stopped; this one stops with the loop.
      const seconds = String(last);
      return {
        events: [
          { type: 'health', ts: last * 1000, engine, component: 'freqtrade_bot', status: 'ok' },
          {
            type: 'risk',
            ts: last * 1000,
            engine,
            limits: { [ENGINE_LAST_PROCESS]: { value: seconds, limit: seconds } },
          },
        ],
      };
    }
    case 'locks': {
      const l = ftLocks.safeParse(r.locks);
      if (!l.success) return { problem: problemOf(l.error.issues, 'locks') };
      // A lock on every pair (`*`: a global protection such as StoplossGuard) stops all
      // entries: the bot is halted until it ends. Pair locks are named in the alerts.
      const global = l.data.locks.find((x) => x.active && x.pair === '*');
      const reason = global
        ? `all pairs locked${global.lock_end_time ? ` until ${global.lock_end_time}` : ''}: ${global.reason ?? 'protection'}`
        : '';
      return {
        events: [
          {
            type: 'risk',
            ts: at,
            engine,
            halted: global !== undefined,
            ...(global ? { halt_reason: reason.slice(0, 1024) } : {}),
          },
        ],
      };
    }
    case 'api':
      return {
        events: [
          {
            type: 'health',
            ts: at,
            engine,
            component: 'freqtrade_api',
            status: r.status,
            ...(r.error ? { error: r.error } : {}),
          },
        ],
      };
    case 'message':
      return messageEvents(engine, at, r.message);
  }
}

function messageEvents(
  engine: string,
  at: number,
  raw: unknown,
): { events: TradingEventInput[] } | { problem: Problem } {
  const m = ftMessage.safeParse(raw);
  if (!m.success) return { problem: problemOf(m.error.issues, 'message') };
  const msg = m.data;
  const alert = (name: string, severity: 'info' | 'warning' | 'critical', message: string) => ({
    events: [{ type: 'alert' as const, ts: at, engine, name, severity, message: message.slice(0, 1024) }],
  });
  const textOf = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));
  switch (msg.type) {
    case 'warning':
      return alert('freqtrade_warning', 'warning', msg.status ?? textOf(msg.data));
    case 'exception':
      return alert('freqtrade_exception', 'critical', msg.status ?? textOf(msg.data));
    case 'strategy_msg':
      return alert('freqtrade_strategy_msg', 'info', msg.msg ?? textOf(msg.data));
    case 'protection_trigger':
    case 'protection_trigger_global': {
      const until = typeof msg.lock_end_time === 'string' ? ` until ${msg.lock_end_time}` : '';
      const what = msg.type === 'protection_trigger_global' ? 'all pairs' : (msg.pair ?? 'a pair');
      return alert(
        'freqtrade_protection',
        'warning',
        `${what} locked${until}: ${msg.reason ?? 'protection'}`,
      );
    }
    default:
      if (TRIGGER_MESSAGES.has(msg.type) || QUIET_MESSAGES.has(msg.type)) return { events: [] };
      return {
        problem: { field: 'message.type', reason: `unknown message type ${JSON.stringify(msg.type)}` },
      };
  }
}
