/**
 * The feed's wire protocol (docs/feed-protocol.md): client messages are validated here, at
 * the edge, and every problem is named; server messages are built here.
 */
import { z } from 'zod';
import {
  CHANNELS,
  type ClientMessage,
  type ErrorMessage,
  type FeedFilter,
  type PingMessage,
  type SubscribeMessage,
  type UnsubscribeMessage,
} from '@tradewatch/feed-protocol';

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

/** True when A and B are the same type (mutual assignability would let an optional field differ). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// The schemas must accept exactly the protocol's messages: a field added to one side and
// not the other fails the build here instead of refusing (or letting through) a client.
const schemasAreTheProtocol: [
  Same<z.infer<typeof subscribeSchema>, SubscribeMessage>,
  Same<z.infer<typeof unsubscribeSchema>, UnsubscribeMessage>,
  Same<z.infer<typeof pingSchema>, PingMessage>,
] = [true, true, true];
void schemasAreTheProtocol;

export type SubscribeOp = SubscribeMessage;
export type ClientOp = ClientMessage;

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
  return JSON.stringify({ type: 'error', code, message } satisfies ErrorMessage);
}
