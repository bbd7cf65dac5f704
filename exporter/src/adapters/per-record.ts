/**
 * What the bus producers' adapters (nautilus, hummingbot) share: a record is adapted on its
 * own, and a record that cannot be used, or whose derived events the schema refuses, is
 * refused alone (counted by its cause) while the rest of the batch goes on.
 */
import { validateEvent, type EventProblem } from '../events/validate';

/** Why one record is refused: `why` is the cause label of tradewatch_source_errors_total. */
export class Refusal<Cause extends string = string> extends Error {
  constructor(
    /** Named `why`, not `cause`: Error already has a `cause` of its own. */
    readonly why: Cause,
    readonly field: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** What one record gives: its events, and the batch view's updates, applied once they are valid. */
export interface Outcome<View> {
  events: Record<string, unknown>[];
  commit: (view: View) => void;
}

/**
 * Adapts `raws` one by one against `view` (the state as the batch has left it so far). A
 * value that is not a record (`what` names the kind), a Refusal, or a derived event the
 * schema refuses refuses that record alone; anything else thrown is a bug and propagates.
 */
export function adaptEach<R, View>(
  raws: readonly unknown[],
  view: View,
  isRecord: (raw: unknown) => raw is R,
  what: string,
  adapt: (raw: R, view: View) => Outcome<View>,
): { ok: true; events: unknown[]; refused: EventProblem[] } {
  const events: unknown[] = [];
  const refused: EventProblem[] = [];
  raws.forEach((raw, index) => {
    try {
      if (!isRecord(raw)) throw new Refusal('malformed_record', '', `not a ${what}`);
      const outcome = adapt(raw, view);
      for (const event of outcome.events) {
        const checked = validateEvent(event, index);
        if (Array.isArray(checked))
          throw new Refusal('invalid_event', checked[0].field, `${checked[0].field} ${checked[0].reason}`);
      }
      outcome.commit(view);
      events.push(...outcome.events);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      refused.push({ index, field: err.field, reason: `${err.why}: ${err.message}` });
    }
  });
  return { ok: true, events, refused };
}

/** Reads a refused record's cause back from its problem (the sources count by it). */
export function causeOf(problem: EventProblem): string {
  return /^([a-z_]+):/.exec(problem.reason)?.[1] ?? 'invalid_event';
}
