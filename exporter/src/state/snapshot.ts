/**
 * Export and import of the whole Store state, for durable snapshots (storage/).
 *
 * The codec walks the object graph generically instead of listing fields by hand: every
 * own field of a registered class is written, so a field someone adds to EngineState,
 * Position, EquityTracker… is carried without touching this file. What it cannot carry
 * (an instance of a class not registered below, a function, a symbol) stops the export
 * with the path of the offending value, so a new kind of state fails a test loudly
 * instead of vanishing after a restart.
 *
 * On import each registered class is first built by its constructor (so a field added
 * in a newer version keeps its default when an older snapshot lacks it), then the
 * snapshot's fields are laid over it. Fields that come from configuration rather than
 * from events (valuation currency, equity sampling options, the Store's listeners) are
 * kept from the running process.
 */
import Decimal from 'decimal.js';
import { EngineState } from './engine';
import { Position } from './positions';
import { Store, type StoreOptions } from './store';
import { BoundedMap, BoundedSet, Distribution, LabeledCounter, LabeledDistribution } from './tallies';

/** Bumped when the encoding itself changes (not when state classes gain fields). */
export const SNAPSHOT_FORMAT = 1;

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** The JSON-compatible tree a snapshot is made of. */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

/** A state class, by its constructor. */
type Ctor = abstract new (...args: never[]) => object;

interface ClassEntry {
  ctor: Ctor;
  /** A fresh instance (with constructor defaults where the constructor can be called). */
  create(): object;
  /** A Map subclass: its entries are carried too. */
  isMap: boolean;
}

/**
 * Fields taken from the running process, never from the snapshot: configuration (so a
 * changed valuation currency or sampling period applies after a restart) and the Store's
 * wiring. Functions (callbacks) are never state and are always kept too.
 */
const KEEP: Record<string, readonly string[]> = {
  Store: ['options', 'listeners'],
  EngineState: ['valuationCurrency', 'options'],
  EquityTracker: ['options'],
};

/**
 * The classes of the state: those made lazily (not present in a fresh engine) are listed
 * here; those a fresh Store and engine already hold are found by walking them, so a new
 * part of EngineState built in its constructor needs no line in this file.
 */
function classTable(options: StoreOptions): Map<string, ClassEntry> {
  const fresh = () => new Store(options);
  const table = new Map<string, ClassEntry>();
  const add = (ctor: Ctor, create: () => object) => {
    const known = table.get(ctor.name);
    if (known && known.ctor !== ctor)
      throw new SnapshotError(`two state classes are named ${ctor.name}; snapshots need distinct names`);
    if (!known) table.set(ctor.name, { ctor, create, isMap: ctor.prototype instanceof Map });
  };
  add(Store, () => fresh());
  add(EngineState, () => fresh().engine(''));
  add(Position, () => new Position(''));
  add(Distribution, () => new Distribution([]));
  add(LabeledDistribution, () => new LabeledDistribution([]));
  add(LabeledCounter, () => new LabeledCounter());
  add(BoundedSet, () => new BoundedSet(1));
  add(BoundedMap, () => new BoundedMap(1));
  // A class found in a fresh engine is made the same way: a fresh engine, then the
  // same field path (so its constructor defaults and configuration are right).
  const seen = new Set<object>();
  const walk = (value: unknown, fieldPath: string[] | null): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || Decimal.isDecimal(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach((v) => walk(v, null));
    if (value instanceof Map) value.forEach((v, k) => (walk(k, null), walk(v, null)));
    if (value instanceof Set) value.forEach((v) => walk(v, null));
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== null && proto !== Object.prototype && proto !== Map.prototype && proto !== Set.prototype) {
      const ctor = (value as { constructor: Ctor }).constructor;
      const at = fieldPath;
      add(ctor, () => {
        if (at === null) return Object.create(ctor.prototype as object) as object;
        let node: unknown = fresh().engine('');
        for (const key of at) node = (node as Record<string, unknown>)[key];
        return node as object;
      });
    }
    for (const [k, v] of Object.entries(value))
      walk(v, fieldPath && !(value instanceof Map) ? [...fieldPath, k] : null);
  };
  walk(fresh().engine(''), []);
  return table;
}

// ---- encode -----------------------------------------------------------------------

/**
 * The encoder is a generator so that a large state can be encoded in slices: it yields
 * every SLICE collection members, and `exportStoreAsync` lets the event loop run between
 * slices (a snapshot of 1 M event ids once blocked the loop for 4.3 s); `exportStore`
 * runs it straight through.
 */
const SLICE = 5_000;

class Encoder {
  private readonly refs = new Map<object, number>();
  private readonly names = new Map<Ctor, string>();
  private members = 0;

  constructor(table: Map<string, ClassEntry>) {
    for (const [name, entry] of table) this.names.set(entry.ctor, name);
  }

  /** Yields (nothing) every SLICE members encoded: a place to let others run. */
  private *tick(): Generator<void, void> {
    if (++this.members % SLICE === 0) yield;
  }

  *encode(value: unknown, path: () => string): Generator<void, Encoded> {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) && !Object.is(value, -0) ? value : { $t: 'num', v: String(value) };
      case 'undefined':
        return { $t: 'undef' };
      case 'object':
        break;
      default:
        throw new SnapshotError(`cannot snapshot a ${typeof value} at ${path()}`);
    }
    if (value === null) return null;
    if (Decimal.isDecimal(value)) return { $t: 'dec', v: (value as Decimal).toString() };
    // Shared objects stay shared (e.g. a view that holds the engine's marks map).
    const ref = this.refs.get(value);
    if (ref !== undefined) return { $t: 'ref', i: ref };
    this.refs.set(value, this.refs.size);
    if (Array.isArray(value)) {
      const out: Encoded[] = [];
      for (let i = 0; i < value.length; i++) {
        out.push(yield* this.encode(value[i], () => `${path()}[${i}]`));
        yield* this.tick();
      }
      return out;
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === Object.prototype || proto === null) {
      const fields = yield* this.fields(value as Record<string, unknown>, path, []);
      // A plain object whose keys look like tags is wrapped, so it cannot be mistaken for one.
      return Object.keys(fields).some((k) => k.startsWith('$')) ? { $t: 'obj', f: fields } : fields;
    }
    if (proto === Map.prototype)
      return { $t: 'map', e: yield* this.entries(value as Map<unknown, unknown>, path) };
    if (proto === Set.prototype) {
      const members: Encoded[] = [];
      let i = 0;
      for (const v of value as Set<unknown>) {
        const at = i++;
        members.push(yield* this.encode(v, () => `${path()}{${at}}`));
        yield* this.tick();
      }
      return { $t: 'set', v: members };
    }
    const ctor = (value as { constructor?: Ctor }).constructor;
    const name = ctor ? this.names.get(ctor) : undefined;
    if (!name) {
      throw new SnapshotError(
        `cannot snapshot an instance of ${ctor?.name ?? 'unknown'} at ${path()}: add the class to classTable() in exporter/src/state/snapshot.ts`,
      );
    }
    const out: { [key: string]: Encoded } = {
      $t: name,
      f: yield* this.fields(value as Record<string, unknown>, path, KEEP[name] ?? []),
    };
    if (value instanceof Map) out.e = yield* this.entries(value, path);
    return out;
  }

  private *fields(
    obj: Record<string, unknown>,
    path: () => string,
    keep: readonly string[],
  ): Generator<void, { [key: string]: Encoded }> {
    const out: { [key: string]: Encoded } = {};
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (keep.includes(key) || typeof v === 'function') continue;
      out[key] = yield* this.encode(v, () => `${path()}.${key}`);
    }
    return out;
  }

  private *entries(map: Map<unknown, unknown>, path: () => string): Generator<void, Encoded[]> {
    const out: Encoded[] = [];
    for (const [k, v] of map) {
      out.push([
        yield* this.encode(k, () => `${path()}<key>`),
        yield* this.encode(v, () => `${path()}[${JSON.stringify(k)}]`),
      ]);
      yield* this.tick();
    }
    return out;
  }
}

// ---- decode -----------------------------------------------------------------------

type Fields = { [key: string]: Encoded };

class Decoder {
  private readonly objects: unknown[] = [];

  constructor(private readonly table: Map<string, ClassEntry>) {}

  decode(value: Encoded, path: string): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      this.objects.push(out);
      for (let i = 0; i < value.length; i++) out.push(this.decode(value[i], path));
      return out;
    }
    const tag = value.$t;
    if (tag === undefined) return this.fields(this.track({}), value, path, []);
    switch (tag) {
      case 'num':
        return Number(value.v as string);
      case 'undef':
        return undefined;
      case 'dec':
        return new Decimal(value.v as string);
      case 'ref': {
        const i = value.i as number;
        if (!(i >= 0 && i < this.objects.length))
          throw new SnapshotError(`the snapshot is malformed at ${path}: dangling reference ${i}`);
        return this.objects[i];
      }
      case 'obj':
        return this.fields(this.track({}), value.f as Fields, path, []);
      case 'map': {
        const map = this.track(new Map<unknown, unknown>());
        this.fill(map, value.e, path);
        return map;
      }
      case 'set': {
        const set = this.track(new Set<unknown>());
        if (!Array.isArray(value.v))
          throw new SnapshotError(`the snapshot is malformed at ${path}: expected set members`);
        for (const v of value.v) set.add(this.decode(v, path));
        return set;
      }
    }
    const entry = typeof tag === 'string' ? this.table.get(tag) : undefined;
    if (!entry)
      throw new SnapshotError(`the snapshot holds an unknown kind ${JSON.stringify(tag)} at ${path}`);
    const target = this.track(entry.create() as Record<string, unknown>);
    this.fields(target, value.f as Fields, `${path}.${tag}`, KEEP[tag as string] ?? []);
    if (entry.isMap) {
      Map.prototype.clear.call(target);
      this.fill(target as unknown as Map<unknown, unknown>, value.e, path);
    }
    return target;
  }

  private track<T extends object>(obj: T): T {
    this.objects.push(obj);
    return obj;
  }

  fields(
    target: Record<string, unknown>,
    fields: Fields,
    path: string,
    keep: readonly string[],
  ): Record<string, unknown> {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new SnapshotError(`the snapshot is malformed at ${path}: expected fields`);
    }
    for (const key of Object.keys(fields)) {
      const decoded = this.decode(fields[key], `${path}.${key}`);
      if (!keep.includes(key)) target[key] = decoded;
    }
    return target;
  }

  private fill(map: Map<unknown, unknown>, entries: Encoded | undefined, path: string): void {
    if (!Array.isArray(entries))
      throw new SnapshotError(`the snapshot is malformed at ${path}: expected map entries`);
    for (const pair of entries) {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new SnapshotError(`the snapshot is malformed at ${path}: a map entry`);
      const k = this.decode(pair[0], path);
      Map.prototype.set.call(map, k, this.decode(pair[1], path));
    }
  }
}

// ---- the Store ----------------------------------------------------------------------

export interface StoreSnapshot {
  format: number;
  state: Encoded;
}

/** The whole Store state as a JSON-compatible tree (throws SnapshotError if it cannot). */
export function exportStore(store: Store): StoreSnapshot {
  const run = new Encoder(classTable(store.options)).encode(store, () => 'store');
  let step = run.next();
  while (!step.done) step = run.next();
  return { format: SNAPSHOT_FORMAT, state: step.value };
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
  return { format: SNAPSHOT_FORMAT, state: step.value };
}

/**
 * Replaces the state of `store` with a snapshot's. The snapshot is decoded completely
 * before the store is touched, so a bad snapshot leaves the store as it was.
 */
export function importStore(store: Store, snapshot: StoreSnapshot): void {
  if (snapshot.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(
      `snapshot format ${String(snapshot.format)} is not supported (this exporter reads format ${SNAPSHOT_FORMAT})`,
    );
  }
  const state = snapshot.state;
  if (state === null || typeof state !== 'object' || Array.isArray(state) || state.$t !== 'Store') {
    throw new SnapshotError('the snapshot does not hold a Store');
  }
  const decoded = new Decoder(classTable(store.options)).decode(state, 'store') as Record<string, unknown>;
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
