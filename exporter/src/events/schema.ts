/**
 * Event schema v1 (docs/events.md): the one source of truth. Runtime validators
 * are zod schemas; the TypeScript types are inferred from them, and the JSON Schema in
 * docs/ is generated from them (`npm run schema -w exporter`).
 */
import { z } from 'zod';
import type { Exactly } from './exact';
import { isTimeInBounds, timeBoundsProblem } from './bounds';
import { parseRfc3339 } from './rfc3339';

export const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Numbers and times are checked in one step each (not a union of a number schema and a
 * string schema): ingest validates hundreds of thousands of them a second. Their JSON
 * Schema is declared beside them, for docs/events.schema.json.
 */
export const JSON_SCHEMA_OF = new WeakMap<z.ZodType, Record<string, unknown>>();

/**
 * The largest magnitude of an amount (price, quantity, fee, balance, limit): far beyond any
 * market's figures, so a larger one is a unit mistake; and it keeps every product and sum
 * the state forms finite (1e300 × 1e300 made equity −Infinity, drawdown and Sharpe NaN for
 * good, issue 25).
 */
export const MAX_AMOUNT = 1e18;
export const AMOUNT_TOO_LARGE = 'must be at most 1e18 in magnitude (a unit mistake?)';

type NumberRule = { min?: number; exclusiveMin?: number; message?: string };
function decimalOf(rule: NumberRule = {}) {
  const schema = z.unknown().transform((v, ctx): number => {
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && DECIMAL_STRING.test(v)) n = Number(v);
    else {
      ctx.issues.push({
        code: 'custom',
        input: v,
        message: v === undefined ? 'is required' : 'must be a number or a decimal string such as "0.25"',
      });
      return z.NEVER;
    }
    if (!Number.isFinite(n)) {
      ctx.issues.push({ code: 'custom', input: v, message: 'must be a finite number' });
      return z.NEVER;
    }
    if (Math.abs(n) > MAX_AMOUNT) {
      ctx.issues.push({ code: 'custom', input: v, message: AMOUNT_TOO_LARGE });
      return z.NEVER;
    }
    if (
      (rule.exclusiveMin !== undefined && !(n > rule.exclusiveMin)) ||
      (rule.min !== undefined && !(n >= rule.min))
    ) {
      ctx.issues.push({ code: 'custom', input: v, message: rule.message as string });
      return z.NEVER;
    }
    return n;
  });
  const bound =
    rule.exclusiveMin !== undefined
      ? { exclusiveMinimum: rule.exclusiveMin }
      : rule.min !== undefined
        ? { minimum: rule.min }
        : {};
  JSON_SCHEMA_OF.set(schema, {
    anyOf: [
      {
        type: 'number',
        ...(rule.min === undefined && rule.exclusiveMin === undefined ? { minimum: -MAX_AMOUNT } : {}),
        ...bound,
        maximum: MAX_AMOUNT,
      },
      { type: 'string', pattern: DECIMAL_STRING.source },
    ],
    description:
      'a JSON number or a decimal string' +
      (rule.message ? ` that ${rule.message}` : '') +
      ', at most 1e18 in magnitude',
  });
  return schema;
}

/** A JSON number or a decimal string (Gal Friday sends Decimals as strings); always finite. */
const decimal = decimalOf();
const positive = decimalOf({ exclusiveMin: 0, message: 'must be greater than 0' });
const nonNegative = decimalOf({ min: 0, message: 'must not be negative' });

/** An RFC 3339 string or epoch milliseconds within the bounds (bounds.ts); normalized to epoch milliseconds. */
export const timestamp = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0) {
      if (isTimeInBounds(v)) return v;
      ctx.issues.push({ code: 'custom', input: v, message: timeBoundsProblem(v) });
      return z.NEVER;
    }
    ctx.issues.push({
      code: 'custom',
      input: v,
      message: 'epoch milliseconds must be a non-negative integer',
    });
    return z.NEVER;
  }
  const ms = typeof v === 'string' ? parseRfc3339(v) : undefined;
  if (ms !== undefined) {
    if (isTimeInBounds(ms)) return ms;
    ctx.issues.push({ code: 'custom', input: v, message: timeBoundsProblem(ms) });
    return z.NEVER;
  }
  ctx.issues.push({
    code: 'custom',
    input: v,
    message:
      v === undefined
        ? 'is required'
        : 'must be an RFC 3339 time such as 2026-01-02T03:04:05Z or 2026-01-02T04:04:05+01:00, or integer epoch milliseconds',
  });
  return z.NEVER;
});
JSON_SCHEMA_OF.set(timestamp, {
  anyOf: [
    {
      type: 'integer',
      minimum: 946_684_800_000,
      description: 'epoch milliseconds, from 2000-01-01T00:00:00Z to 24 h ahead of the exporter',
    },
    { type: 'string', format: 'date-time' },
  ],
});

const name = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
/** Whether a name (an engine given by a setting, say) is one events may carry as a label value. */
export function isLabelName(value: string): boolean {
  return name.safeParse(value).success;
}
export const SYMBOL = /^[A-Za-z0-9._-]{1,32}\/[A-Za-z0-9._-]{1,32}$/;
export const CURRENCY = /^[A-Za-z0-9._-]{1,32}$/;
const symbol = z
  .string()
  .regex(SYMBOL, 'must be BASE/QUOTE, e.g. BTC/USD')
  .transform((s) => s.toUpperCase());
const currency = z.string().regex(CURRENCY, 'must be a currency code such as USD');
const freeText = z.string().max(1024, 'must be at most 1024 characters');

export const SIDES = ['buy', 'sell'] as const;
export const ORDER_TYPES = ['limit', 'market', 'stop', 'stop_limit'] as const;
export const ORDER_STATUSES = [
  'new',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'expired',
] as const;
export const ACTIVE_STATUSES: ReadonlySet<OrderStatus> = new Set(['new', 'partially_filled']);
export const EVENT_TYPES = [
  'order',
  'fill',
  'mark',
  'balance',
  'risk',
  'strategy',
  'signal',
  'health',
  'alert',
  'snapshot',
] as const;

const side = z.enum(SIDES);
export type Side = z.infer<typeof side>;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const envelope = {
  ts: timestamp,
  engine: name.default('default'),
  id: z.string().min(1).max(256).optional(),
};

const orderFields = {
  order_id: name,
  symbol,
  side,
  order_type: z.enum(ORDER_TYPES),
  status: z.enum(ORDER_STATUSES),
  quantity: positive,
  filled_quantity: nonNegative.default(0),
  avg_fill_price: positive.optional(),
  limit_price: positive.optional(),
  stop_price: positive.optional(),
  fees: nonNegative.default(0),
  fee_currency: currency.optional(),
  strategy: name.optional(),
  client_order_id: z.string().max(256).optional(),
  time_in_force: z.string().max(32).optional(),
  created_at: timestamp.optional(),
  reason: freeText.optional(),
  venue: name.optional(),
};

// Only judged when both quantities are valid, so one mistake is reported once.
const filledWithinQuantity = (o: { filled_quantity: number; quantity: number }) =>
  !(o.quantity > 0 && o.filled_quantity >= 0) || o.filled_quantity <= o.quantity * (1 + 1e-12);
const FILLED_ABOVE = { message: 'filled_quantity must not exceed quantity', path: ['filled_quantity'] };

/** The payload of an order (used by `order` events and inside `snapshot`). */
export const orderPayload = z.object(orderFields).refine(filledWithinQuantity, FILLED_ABOVE);

export const orderEvent = z
  .object({ type: z.literal('order'), ...envelope, ...orderFields })
  .refine(filledWithinQuantity, FILLED_ABOVE);

export const fillEvent = z.object({
  type: z.literal('fill'),
  ...envelope,
  fill_id: name,
  order_id: name,
  symbol,
  side,
  price: positive,
  quantity: positive,
  fee: nonNegative.default(0),
  fee_currency: currency.optional(),
  liquidity: z.enum(['maker', 'taker']).optional(),
  strategy: name.optional(),
});

export const markEvent = z.object({
  type: z.literal('mark'),
  ...envelope,
  symbol,
  price: positive,
  bid: positive.optional(),
  ask: positive.optional(),
});

export const balanceEvent = z.object({
  type: z.literal('balance'),
  ...envelope,
  balances: z.record(currency, decimal),
  valuation_currency: currency.optional(),
});

const limitName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case, e.g. max_drawdown');

export const riskEvent = z.object({
  type: z.literal('risk'),
  ...envelope,
  halted: z.boolean().optional(),
  halt_reason: freeText.optional(),
  limits: z.record(limitName, z.object({ value: decimal, limit: decimal })).optional(),
});

export const strategyEvent = z.object({
  type: z.literal('strategy'),
  ...envelope,
  strategy: name,
  state: z.enum(['active', 'inactive', 'transitioning']),
  from_strategy: name.optional(),
  to_strategy: name.optional(),
});

export const signalEvent = z.object({
  type: z.literal('signal'),
  ...envelope,
  signal_id: name,
  symbol,
  side,
  decision: z.enum(['proposed', 'approved', 'rejected']),
  strategy: name.optional(),
  reason: freeText.optional(),
});

export const healthEvent = z.object({
  type: z.literal('health'),
  ...envelope,
  component: name,
  status: z.enum(['ok', 'degraded', 'down']).optional(),
  latency_seconds: nonNegative.optional(),
  error: freeText.optional(),
  endpoint: z.string().max(256).optional(),
  venue: name.optional(),
});

export const alertEvent = z.object({
  type: z.literal('alert'),
  ...envelope,
  name,
  severity: z.enum(['info', 'warning', 'critical']),
  message: freeText,
  labels: z.record(z.string().max(64), z.string().max(256)).optional(),
});

export const snapshotEvent = z.object({
  type: z.literal('snapshot'),
  ...envelope,
  orders: z.array(orderPayload).max(100_000),
  positions: z.array(z.object({ symbol, quantity: decimal, avg_price: nonNegative })).optional(),
  balances: z.record(currency, decimal).optional(),
});

export const tradingEvent = z.discriminatedUnion('type', [
  orderEvent,
  fillEvent,
  markEvent,
  balanceEvent,
  riskEvent,
  strategyEvent,
  signalEvent,
  healthEvent,
  alertEvent,
  snapshotEvent,
]);

/** Validated events carry the decimal strings their numbers cannot hold (exact.ts). */
export type TradingEvent = z.output<typeof tradingEvent> & Exactly;
export type TradingEventInput = z.input<typeof tradingEvent>;
export type EventType = TradingEvent['type'];
export type OrderEvent = z.output<typeof orderEvent> & Exactly;
export type OrderPayload = z.output<typeof orderPayload>;
export type FillEvent = z.output<typeof fillEvent> & Exactly;
export type MarkEvent = z.output<typeof markEvent> & Exactly;
export type BalanceEvent = z.output<typeof balanceEvent> & Exactly;
export type RiskEvent = z.output<typeof riskEvent>;
export type StrategyEvent = z.output<typeof strategyEvent>;
export type SignalEvent = z.output<typeof signalEvent>;
export type HealthEvent = z.output<typeof healthEvent>;
export type AlertEvent = z.output<typeof alertEvent>;
export type SnapshotEvent = z.output<typeof snapshotEvent> & Exactly;
