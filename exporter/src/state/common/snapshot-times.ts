/**
 * Snapshot migrations for records written before the state kept times as epoch ms: orders,
 * fills and alerts were stored as wire rows, with RFC 3339 strings (`isoTime`'s, which
 * `Date.parse` reads back exactly). Each record is rebuilt with its time fields renamed and
 * turned into numbers, in place, so the record's fields keep their order.
 */
import type { Encoded, Fields } from './schema';

/** The wire name of each time field, and the record's name for it. */
export type TimeFields = Readonly<Record<string, string>>;

type Resolve = (value: Encoded) => Encoded;

function isFields(v: Encoded): v is Fields {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && v.$t === undefined;
}

function msOf(iso: Encoded, name: string): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms))
    throw new Error(`the snapshot is malformed: ${name} ${JSON.stringify(iso)} is not an RFC 3339 time`);
  return ms;
}

/** One wire row of the snapshot as the record the state keeps now. */
export function recordOfRow(row: Encoded, times: TimeFields, resolve: Resolve): Fields {
  const fields = resolve(row);
  if (!isFields(fields)) throw new Error('the snapshot is malformed: expected a row');
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    const name = times[k];
    if (name === undefined) out[k] = v;
    else out[name] = v === null ? null : msOf(v, k);
  }
  return out;
}

/** The rows of an encoded array. */
export function recordsOfArray(rows: Encoded, times: TimeFields, resolve: Resolve): Encoded[] {
  const list = resolve(rows);
  if (!Array.isArray(list)) throw new Error('the snapshot is malformed: expected a list of rows');
  return list.map((row) => recordOfRow(row, times, resolve));
}

/** The values of an encoded map (`{ $t: 'map' | <a Map class>, e: [[key, row]…] }`); its other parts kept. */
export function recordsOfMap(map: Encoded, times: TimeFields, resolve: Resolve): Fields {
  const node = resolve(map);
  if (node === null || typeof node !== 'object' || Array.isArray(node) || !Array.isArray(node.e))
    throw new Error('the snapshot is malformed: expected a map of rows');
  const entries = node.e.map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2)
      throw new Error('the snapshot is malformed: expected a map entry');
    return [entry[0], recordOfRow(entry[1], times, resolve)];
  });
  return { ...node, e: entries };
}
