/**
 * The snapshot encoder: the state classes (found by walking a fresh Store), and the graph
 * walk that writes each value as JSON-compatible data (see snapshot.ts).
 */
import { Decimal } from './common/decimal';
import { EngineState } from './engine';
import { Position } from './portfolio/positions';
import { KEEP, schemaOf, SnapshotError, type Encoded } from './snapshot-schemas';
import { Store, type StoreOptions } from './store';
import { BoundedMap, BoundedSet } from './common/bounded';
import { Distribution, LabeledCounter, LabeledDistribution } from './common/counters';

/** A state class, by its constructor. */
export type Ctor = abstract new (...args: never[]) => object;

export interface ClassEntry {
  ctor: Ctor;
  /** A fresh instance (with constructor defaults where the constructor can be called). */
  create(): object;
  /** A Map subclass: its entries are carried too. */
  isMap: boolean;
}

/**
 * The classes of the state: those made lazily (not present in a fresh engine) are listed
 * here; those a fresh Store and engine already hold are found by walking them, so a new
 * part of EngineState built in its constructor needs no line here (but a schema in
 * snapshot-schemas.ts).
 */
export function classTable(options: StoreOptions): Map<string, ClassEntry> {
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
  // Their bounds come from code: a restored one is bound to its LabeledDistribution's.
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

/**
 * The encoder is a generator so that a large state can be encoded in slices: it yields
 * every SLICE collection members, and `exportStoreAsync` lets the event loop run between
 * slices (a snapshot of 1 M event ids once blocked the loop for 4.3 s); `exportStore`
 * runs it straight through.
 */
const SLICE = 5_000;

const OBJECT = Symbol('an object');

/**
 * A value that needs no walk (a primitive or a Decimal), encoded by a plain call; OBJECT
 * for anything else, which `encode` walks (or refuses, with its path). Earned by a measure:
 * with a generator step and a path closure for every field value, encoding the state of
 * 100 k bench events took 112–118 ms; without, 78–82 ms.
 */
function scalar(value: unknown): Encoded | typeof OBJECT {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $t: 'num', v: String(value) };
    case 'undefined':
      return { $t: 'undef' };
    case 'object':
      if (value === null) return null;
      return Decimal.isDecimal(value) ? { $t: 'dec', v: (value as Decimal).toString() } : OBJECT;
    default:
      return OBJECT;
  }
}

export class Encoder {
  private readonly refs = new Map<object, number>();
  private readonly names = new Map<Ctor, string>();
  private members = 0;

  constructor(table: Map<string, ClassEntry>) {
    for (const [name, entry] of table) this.names.set(entry.ctor, name);
  }

  *encode(value: unknown, path: () => string): Generator<void, Encoded> {
    const plain = scalar(value);
    if (plain !== OBJECT) return plain;
    if (typeof value !== 'object' || value === null)
      throw new SnapshotError(`cannot snapshot a ${typeof value} at ${path()}`);
    // Shared objects stay shared (e.g. a view that holds the engine's marks map).
    const ref = this.refs.get(value);
    if (ref !== undefined) return { $t: 'ref', i: ref };
    this.refs.set(value, this.refs.size);
    if (Array.isArray(value)) {
      const out: Encoded[] = [];
      for (let i = 0; i < value.length; i++) {
        const plain = scalar(value[i]);
        out.push(plain !== OBJECT ? plain : yield* this.encode(value[i], () => `${path()}[${i}]`));
        if (++this.members % SLICE === 0) yield;
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
        const plain = scalar(v);
        members.push(plain !== OBJECT ? plain : yield* this.encode(v, () => `${path()}{${at}}`));
        if (++this.members % SLICE === 0) yield;
      }
      return { $t: 'set', v: members };
    }
    const ctor = (value as { constructor?: Ctor }).constructor;
    const name = ctor ? this.names.get(ctor) : undefined;
    if (!name) {
      throw new SnapshotError(
        `cannot snapshot an instance of ${ctor?.name ?? 'unknown'} at ${path()}: add the class to classTable() in exporter/src/state/snapshot-encode.ts`,
      );
    }
    const schema = schemaOf(name, path);
    const own = value as Record<string, unknown>;
    const keep = KEEP[name] ?? [];
    for (const key of Object.keys(own)) {
      if (!keep.includes(key) && typeof own[key] !== 'function' && !schema.fields.includes(key))
        throw new SnapshotError(
          `${name}.${key} (at ${path()}.${key}) is not in the snapshot schema of ${name}: add it to its slice's schema.ts (state/<slice>/schema.ts, or snapshot-schemas.ts) and raise its version`,
        );
    }
    const written = schema.written ? schema.written(value) : own;
    const out: { [key: string]: Encoded } = { $t: name, f: yield* this.fields(written, path, keep) };
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
      const plain = scalar(v);
      out[key] = plain !== OBJECT ? plain : yield* this.encode(v, () => `${path()}.${key}`);
    }
    return out;
  }

  private *entries(map: Map<unknown, unknown>, path: () => string): Generator<void, Encoded[]> {
    const out: Encoded[] = [];
    for (const [k, v] of map) {
      const plainKey = scalar(k);
      const plainValue = scalar(v);
      out.push([
        plainKey !== OBJECT ? plainKey : yield* this.encode(k, () => `${path()}<key>`),
        plainValue !== OBJECT ? plainValue : yield* this.encode(v, () => `${path()}[${JSON.stringify(k)}]`),
      ]);
      if (++this.members % SLICE === 0) yield;
    }
    return out;
  }
}
