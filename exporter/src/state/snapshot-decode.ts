/** The snapshot decoder: JSON-compatible data back to state, each class at its current schema (see snapshot.ts). */
import { Decimal } from './common/decimal';
import type { ClassEntry } from './snapshot-encode';
import { KEEP, schemaOf, SnapshotError, type Encoded, type Fields } from './snapshot-schemas';

/** An encoded object or array: what a reference points at. */
type Node = Encoded[] | { [key: string]: Encoded };

/**
 * The encoded objects in the order the encoder met them (pre-order: an object before its
 * fields, a class's fields before its map entries): reference i is the i-th. Numbered on
 * the snapshot as written, so a migration may regroup fields (moving nodes, never copying
 * them) without breaking the references.
 */
function numberNodes(root: Encoded): Node[] {
  const nodes: Node[] = [];
  const walk = (value: Encoded): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      nodes.push(value);
      return value.forEach(walk);
    }
    const tag = value.$t;
    if (tag === 'num' || tag === 'undef' || tag === 'dec' || tag === 'ref') return;
    nodes.push(value);
    if (tag === undefined) return Object.values(value).forEach(walk);
    if (tag === 'set') return Array.isArray(value.v) ? value.v.forEach(walk) : undefined;
    if (value.f !== null && typeof value.f === 'object') Object.values(value.f).forEach(walk);
    if (Array.isArray(value.e)) for (const pair of value.e) if (Array.isArray(pair)) pair.forEach(walk);
  };
  walk(root);
  return nodes;
}

export class Decoder {
  /** Each encoded object already decoded, and what it became (shared objects stay shared). */
  private readonly decoded = new Map<Node, unknown>();
  /** Numbered on the first reference met (a snapshot without references needs no walk). */
  private numbered: Node[] | null = null;
  /** True once a reference was decoded before the object it points at was met in place. */
  private aheadOfPlace = false;

  constructor(
    private readonly table: Map<string, ClassEntry>,
    /** The version of each class schema the snapshot was written with. */
    private readonly versions: Readonly<Record<string, number>>,
    private readonly root: Encoded,
    /** Told what a restore had to adapt (a log line). */
    private readonly note: (message: string) => void = () => undefined,
  ) {}

  private get nodes(): Node[] {
    return (this.numbered ??= numberNodes(this.root));
  }

  /**
   * `into`: the value the target already holds at this place; an instance of the class
   * being decoded is filled in place, so what its constructor took from configuration
   * (a histogram's bucket bounds, say) stays the running process's.
   */
  decode(value: Encoded, path: string, into?: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (this.aheadOfPlace) {
      const known = this.decoded.get(value);
      if (known !== undefined) return known;
    }
    if (Array.isArray(value)) {
      const out = this.track(value, [] as unknown[]);
      for (let i = 0; i < value.length; i++) out.push(this.decode(value[i], path));
      return out;
    }
    const tag = value.$t;
    if (tag === undefined) return this.fields(this.track(value, {}), value, path, []);
    switch (tag) {
      case 'num':
        return Number(value.v as string);
      case 'undef':
        return undefined;
      case 'dec':
        return Decimal.from(value.v as string);
      case 'ref': {
        const node = typeof value.i === 'number' ? this.nodes[value.i] : undefined;
        if (node === undefined)
          throw new SnapshotError(
            `the snapshot is malformed at ${path}: dangling reference ${String(value.i)}`,
          );
        const known = this.decoded.get(node);
        if (known !== undefined) return known;
        // Met before its place (a migration moved it): its place must find it decoded.
        this.aheadOfPlace = true;
        return this.decode(node, path);
      }
      case 'obj':
        return this.fields(this.track(value, {}), value.f as Fields, path, []);
      case 'map': {
        const map = this.track(value, new Map<unknown, unknown>());
        this.fill(map, value.e, path);
        return map;
      }
      case 'set': {
        const set = this.track(value, new Set<unknown>());
        if (!Array.isArray(value.v))
          throw new SnapshotError(`the snapshot is malformed at ${path}: expected set members`);
        for (const v of value.v) set.add(this.decode(v, path));
        return set;
      }
    }
    const entry = typeof tag === 'string' ? this.table.get(tag) : undefined;
    if (!entry)
      throw new SnapshotError(`the snapshot holds an unknown kind ${JSON.stringify(tag)} at ${path}`);
    const inPlace =
      into !== null && typeof into === 'object' && Object.getPrototypeOf(into) === entry.ctor.prototype;
    const target = this.track(value, (inPlace ? into : entry.create()) as Record<string, unknown>);
    const fields = this.migrate(tag as string, value.f as Fields, path, target);
    this.fields(target, fields, `${path}.${tag}`, KEEP[tag as string] ?? []);
    if (entry.isMap) {
      Map.prototype.clear.call(target);
      this.fill(target as unknown as Map<unknown, unknown>, value.e, path);
    }
    schemaOf(tag as string, () => path).restore?.(target, (message) => this.note(`${path}: ${message}`));
    return target;
  }

  /** A class's fields brought to its current schema; a missing or unknown field stops the import. */
  private migrate(name: string, written: Fields, path: string, target: object): Fields {
    if (typeof written !== 'object' || written === null || Array.isArray(written))
      throw new SnapshotError(`the snapshot is malformed at ${path}: expected fields`);
    const schema = schemaOf(name, () => path);
    let version = this.versions[name] ?? 1;
    if (version > schema.version)
      throw new SnapshotError(
        `the snapshot holds ${name} version ${version}, newer than this exporter's ${schema.version}`,
      );
    let fields = written;
    for (; version < schema.version; version++) {
      const step = schema.migrations?.[version];
      if (!step) throw new SnapshotError(`no migration of ${name} from version ${version}`);
      fields = step(fields, target, this.resolve);
    }
    const unknown = Object.keys(fields).filter((k) => !schema.fields.includes(k));
    const missing = schema.fields.filter((k) => !(k in fields));
    if (unknown.length > 0 || missing.length > 0)
      throw new SnapshotError(
        `the snapshot's ${name} at ${path} does not match its schema (version ${schema.version}): ${[
          ...unknown.map((k) => `unknown field ${k}`),
          ...missing.map((k) => `missing field ${k}`),
        ].join(', ')}`,
      );
    return fields;
  }

  /** The value a reference points at (any other value as it is). */
  private readonly resolve = (value: Encoded): Encoded => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value.$t !== 'ref')
      return value;
    return typeof value.i === 'number' ? (this.nodes[value.i] ?? value) : value;
  };

  private track<T extends object>(node: Node, obj: T): T {
    this.decoded.set(node, obj);
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
      const decoded = this.decode(fields[key], `${path}.${key}`, target[key]);
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
