/**
 * The feed's wire protocol (docs/feed-protocol.md): client messages are validated here, at
 * the edge, and every problem is named; server messages are built here.
 */
import { z } from 'zod';
import type { Channel, FeedFilter } from '@tradewatch/feed-client';

export const PROTOCOL = 'tradewatch.v1';
export const TOKEN_PROTOCOL_PREFIX = 'tradewatch.token.';
export const CHANNELS = [
  'orders',
  'fills',
  'positions',
  'alerts',
  'status',
] as const satisfies readonly Channel[];

/** Close codes the server uses (1000–1015 from RFC 6455, 4000–4999 ours). */
export const CLOSE = {
  normal: { code: 1000, reason: 'bye' },
  shutdown: { code: 1001, reason: 'exporter shutting down' },
  abuse: { code: 1008, reason: 'too many bad messages' },
  tooBig: { code: 1009, reason: 'frame too large' },
  heartbeat: { code: 4001, reason: 'heartbeat timeout: nothing heard from the client' },
  slow: { code: 4002, reason: 'too slow: the client stopped reading' },
  resubscribing: { code: 4003, reason: 'subscribing faster than reading: too many subscribes while behind' },
} as const;

const name = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
const filterSchema = z
  .object({ engine: name.optional(), strategy: name.optional(), symbol: name.optional() })
  .strict();
const channelSchema = z.enum(CHANNELS, { error: () => `channel must be one of ${CHANNELS.join(', ')}` });
const subSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'sub must be 1-64 characters of A-Z a-z 0-9 . _ : -');

const subscribeSchema = z
  .object({
    op: z.literal('subscribe'),
    channel: channelSchema,
    filter: filterSchema.optional(),
    sub: subSchema.optional(),
  })
  .strict();
const unsubscribeSchema = z
  .object({ op: z.literal('unsubscribe'), channel: channelSchema, sub: subSchema.optional() })
  .strict();
const pingSchema = z.object({ op: z.literal('ping'), ts: z.number().finite().optional() }).strict();

export type SubscribeOp = z.infer<typeof subscribeSchema>;
export type UnsubscribeOp = z.infer<typeof unsubscribeSchema>;
export type PingOp = z.infer<typeof pingSchema>;
export type ClientOp = SubscribeOp | UnsubscribeOp | PingOp;

const OPS = { subscribe: subscribeSchema, unsubscribe: unsubscribeSchema, ping: pingSchema } as const;

export type ParseResult = { ok: true; message: ClientOp } | { ok: false; code: string; error: string };

/** Parses one client frame; a problem is named in words (field and reason). */
export function parseClientMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      code: 'invalid_json',
      error: `the message is not valid JSON: ${(err as Error).message}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      code: 'invalid_message',
      error: 'a message must be a JSON object such as {"op":"subscribe","channel":"orders"}',
    };
  }
  const op = (value as { op?: unknown }).op;
  if (typeof op !== 'string' || !(op in OPS)) {
    return {
      ok: false,
      code: 'unknown_op',
      error: `unknown op ${JSON.stringify(op ?? null)}; known ops are subscribe, unsubscribe, ping`,
    };
  }
  const parsed = OPS[op as keyof typeof OPS].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(message)';
    const reason =
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : issue.message;
    const code = field.startsWith('filter') ? 'bad_filter' : 'invalid_message';
    return { ok: false, code, error: `${op}: ${field}: ${reason}` };
  }
  return { ok: true, message: parsed.data as ClientOp };
}

/** A filter without empty fields, in a fixed key order (so equal filters share a topic). */
export function normalizeFilter(filter: FeedFilter | undefined): FeedFilter {
  const out: FeedFilter = {};
  if (filter?.engine) out.engine = filter.engine;
  if (filter?.strategy) out.strategy = filter.strategy;
  if (filter?.symbol) out.symbol = filter.symbol.toUpperCase();
  return out;
}

export function errorFrame(message: string, code: string): string {
  return JSON.stringify({ type: 'error', code, message });
}
