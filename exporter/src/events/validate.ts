/**
 * Batch validation at the edge: every event of a batch is checked before any is
 * applied, and each problem is reported by event index, field and reason.
 */
import { EVENT_TYPES, tradingEvent, type TradingEvent } from './schema';
import { fastValidate } from './fast-validate';
import { withExact } from './exact';
import { UNSTORABLE_TEXT_REASON, unstorableTextPath } from './storable-text';

export interface EventProblem {
  /** Index of the event in the batch (or line number - 1 for NDJSON). */
  index: number;
  /** Dotted path of the offending field; empty for the event as a whole. */
  field: string;
  reason: string;
}

export type BatchResult = { ok: true; events: TradingEvent[] } | { ok: false; problems: EventProblem[] };

const KNOWN_TYPES = new Set<string>(EVENT_TYPES);
/** Enough problems to fix a batch without flooding a response. */
const MAX_PROBLEMS = 100;

export function validateEvent(raw: unknown, index: number): TradingEvent | EventProblem[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ index, field: '', reason: 'an event must be a JSON object' }];
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    return [
      {
        index,
        field: 'type',
        reason:
          type === undefined
            ? 'is required'
            : `unknown event type ${JSON.stringify(type)}; expected one of ${EVENT_TYPES.join(', ')}`,
      },
    ];
  }
  // The common, clean events skip zod (same result); zod judges the rest and words the problems.
  // The fast path answers only events whose text is storable (it checks each string it keeps).
  const fast = fastValidate(raw);
  if (fast !== undefined) return withExact(raw, fast);
  const parsed = tradingEvent.safeParse(raw);
  if (parsed.success) return storable(parsed.data, index) ?? withExact(raw, parsed.data);
  return parsed.error.issues.map((issue) => ({
    index,
    field: issue.path.join('.'),
    reason: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  }));
}

/** The problem of an event holding text the history stores cannot keep (storable-text.ts), or null. */
function storable(event: object, index: number): EventProblem[] | null {
  const field = unstorableTextPath(event);
  return field === null ? null : [{ index, field, reason: UNSTORABLE_TEXT_REASON }];
}

export function validateBatch(raws: readonly unknown[]): BatchResult {
  const events: TradingEvent[] = [];
  const problems: EventProblem[] = [];
  for (let i = 0; i < raws.length; i++) validateInto(raws[i], i, events, problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events };
}

/** `validateBatch` a slice at a time, pausing between slices (a large batch: ingest/turns.ts). */
export async function validateBatchSliced(
  raws: readonly unknown[],
  pause: () => Promise<void>,
): Promise<BatchResult> {
  const events: TradingEvent[] = [];
  const problems: EventProblem[] = [];
  await validateRunInto(raws, 0, events, problems, pause);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events };
}

/**
 * `validateBatchSliced` for one run of a batch's values, the first being value `first` of the
 * batch: its valid events are added to `events`, its problems (capped for the whole batch) to
 * `problems`. The ingest service validates each run as it is decoded (decode.ts, decodeEventsInRuns).
 */
export async function validateRunInto(
  run: readonly unknown[],
  first: number,
  events: TradingEvent[],
  problems: EventProblem[],
  pause: () => Promise<void>,
): Promise<void> {
  for (let k = 0; k < run.length; k++) {
    validateInto(run[k], first + k, events, problems);
    if (((first + k) & 127) === 127) await pause(); // PAUSE_EVERY_EVENTS (ingest/turns.ts)
  }
}

/** The valid events of `raws` and where each came from; every value that is not one, with its problems. */
export interface EachResult {
  events: TradingEvent[];
  /** `indices[k]` is the index in `raws` of `events[k]`. */
  indices: number[];
  /** Every problem of every invalid value (not capped: the caller names each value it leaves out). */
  problems: EventProblem[];
}

/** Validates each value on its own, a slice at a time: for sources whose values are independent records. */
export async function validateEachSliced(
  raws: readonly unknown[],
  pause: () => Promise<void>,
): Promise<EachResult> {
  const out: EachResult = { events: [], indices: [], problems: [] };
  for (let i = 0; i < raws.length; i++) {
    const result = validateEvent(raws[i], i);
    if (Array.isArray(result)) out.problems.push(...result);
    else {
      out.events.push(result);
      out.indices.push(i);
    }
    if ((i & 127) === 127) await pause(); // PAUSE_EVERY_EVENTS (ingest/turns.ts)
  }
  return out;
}

function validateInto(raw: unknown, index: number, events: TradingEvent[], problems: EventProblem[]) {
  const result = validateEvent(raw, index);
  if (Array.isArray(result)) {
    if (problems.length < MAX_PROBLEMS) problems.push(...result.slice(0, MAX_PROBLEMS - problems.length));
  } else {
    events.push(result);
  }
}
