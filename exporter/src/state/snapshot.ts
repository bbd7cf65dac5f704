/**
 * Export and import of the whole Store state, for durable snapshots (storage/).
 *
 * Each state class has an explicit, versioned list of the fields a snapshot carries
 * (SCHEMAS, snapshot-schemas.ts). Its public fields are checked by the compiler, so
 * renaming one is a compile error there; the snapshot test checks the lists against
 * fresh instances, so a field added or renamed anywhere fails a test until its list
 * (and, for a rename or a removal, a migration) says what an older snapshot means. On export, an instance with a
 * field its list lacks stops the export; on import, each class's fields are migrated from
 * the version the snapshot was written with, and a field missing or unknown stops the
 * import: nothing ever comes back silently at its default.
 *
 * The values of those fields are written by a walk of the object graph (snapshot-encode.ts:
 * Decimals, Maps, Sets, shared references kept); what it cannot carry (an instance of a
 * class without a schema, a function, a symbol) stops the export with the path of the
 * offending value, so a new kind of state fails a test loudly instead of vanishing after
 * a restart. Large states are encoded in slices (exportStoreAsync).
 *
 * On import (snapshot-decode.ts) each class is first built by its constructor, then the
 * snapshot's fields are laid over it. Fields that come from configuration rather than from events (valuation
 * currency, equity sampling options, the Store's listeners) are kept from the running
 * process.
 */
import { Decoder } from './snapshot-decode';
import { classTable, Encoder } from './snapshot-encode';
import { currentVersions, KEEP, SnapshotError, type Encoded, type Fields } from './snapshot-schemas';
import type { Store } from './store';

export { SCHEMAS, SnapshotError, type Encoded } from './snapshot-schemas';

/**
 * Bumped when the encoding itself changes (not when a state class changes: that is its
 * own version in SCHEMAS). Format 1 had no class versions: every class was at version 1.
 */
export const SNAPSHOT_FORMAT = 2;

export interface StoreSnapshot {
  format: number;
  /** The version of each class schema it was written with (format 2; format 1: all at 1). */
  versions?: Record<string, number>;
  state: Encoded;
}

/** The whole Store state as a JSON-compatible tree (throws SnapshotError if it cannot). */
export function exportStore(store: Store): StoreSnapshot {
  const run = new Encoder(classTable(store.options)).encode(store, () => 'store');
  let step = run.next();
  while (!step.done) step = run.next();
  return { format: SNAPSHOT_FORMAT, versions: currentVersions(), state: step.value };
}

/**
 * The same, in slices: `pause` runs between slices (the caller lets the event loop turn
 * there). The state must not change until it resolves (the journal takes it between batches).
 */
export async function exportStoreAsync(store: Store, pause: () => Promise<void>): Promise<StoreSnapshot> {
  const run = new Encoder(classTable(store.options)).encode(store, () => 'store');
  let step = run.next();
  while (!step.done) {
    await pause();
    step = run.next();
  }
  return { format: SNAPSHOT_FORMAT, versions: currentVersions(), state: step.value };
}

/**
 * Replaces the state of `store` with a snapshot's. The snapshot is decoded completely
 * before the store is touched, so a bad snapshot leaves the store as it was.
 */
export function importStore(
  store: Store,
  snapshot: StoreSnapshot,
  /** Told what the restore had to adapt, such as histogram counts re-bucketed (a log line). */
  note: (message: string) => void = (message) => process.emitWarning(message, 'SnapshotRestore'),
): void {
  if (snapshot.format !== SNAPSHOT_FORMAT && snapshot.format !== 1) {
    throw new SnapshotError(
      `snapshot format ${String(snapshot.format)} is not supported (this exporter reads format ${SNAPSHOT_FORMAT})`,
    );
  }
  const state = snapshot.state;
  if (state === null || typeof state !== 'object' || Array.isArray(state) || state.$t !== 'Store') {
    throw new SnapshotError('the snapshot does not hold a Store');
  }
  const versions = snapshot.format === 1 ? {} : (snapshot.versions ?? {});
  const decoded = new Decoder(classTable(store.options), versions, state, note).decode(
    state,
    'store',
  ) as Record<string, unknown>;
  const target = store as unknown as Record<string, unknown>;
  for (const key of Object.keys(state.f as Fields)) {
    if ((KEEP.Store ?? []).includes(key)) continue;
    const current = target[key];
    const value = decoded[key];
    // Keep the identity of the Store's own maps (others may hold a reference to them).
    if (current instanceof Map && value instanceof Map && Object.getPrototypeOf(current) === Map.prototype) {
      current.clear();
      for (const [k, v] of value) current.set(k, v);
    } else {
      target[key] = value;
    }
  }
}
