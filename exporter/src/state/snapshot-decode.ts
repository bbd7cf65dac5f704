/** The snapshot decoder: JSON-compatible data back to state, each class at its current schema (see snapshot.ts). */
import { Decimal } from './common/decimal';
import type { ClassEntry } from './snapshot-encode';
import { KEEP, schemaOf, SnapshotError, type Encoded, type Fields } from './snapshot-schemas';

export class Decoder {
  private readonly objects: unknown[] = [];

  constructor(
    private readonly table: Map<string, ClassEntry>,
    /** The version of each class schema the snapshot was written with. */
    private readonly versions: Readonly<Record<string, number>>,
  ) {}

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
        return Decimal.from(value.v as string);
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
    const fields = this.migrate(tag as string, value.f as Fields, path);
    this.fields(target, fields, `${path}.${tag}`, KEEP[tag as string] ?? []);
    if (entry.isMap) {
      Map.prototype.clear.call(target);
      this.fill(target as unknown as Map<unknown, unknown>, value.e, path);
    }
    return target;
  }

  /** A class's fields brought to its current schema; a missing or unknown field stops the import. */
  private migrate(name: string, written: Fields, path: string): Fields {
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
      fields = step(fields);
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
