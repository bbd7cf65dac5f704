/**
 * What a snapshot carries of each state class: an explicit, versioned list of its fields,
 * with the migrations from older versions (see snapshot.ts). Each slice lists its own
 * classes (<slice>/schema.ts); the engine, the store and the shared counters are here.
 */
import type { BoundedMap, BoundedSet } from './common/bounded';
import { Distribution, LabeledDistribution, type LabeledCounter } from './common/counters';
import { fieldsOf, type ClassSchema, type Encoded, type Fields } from './common/schema';
import type { EngineState } from './engine';
import { EXECUTION_SCHEMAS } from './execution/schema';
import { HEALTH_SCHEMAS } from './health/schema';
import { MARKET_SCHEMAS } from './market/schema';
import { PORTFOLIO_SCHEMAS } from './portfolio/schema';
import { RISK_SCHEMAS } from './risk/schema';
import type { Store } from './store';
import { STRATEGY_SCHEMAS } from './strategy/schema';

export type { ClassSchema, Encoded, Fields } from './common/schema';

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/**
 * Fields taken from the running process, never from the snapshot: configuration (so a
 * changed valuation currency or sampling period applies after a restart) and the Store's
 * wiring (listeners, and a batch's hold, which a snapshot never falls inside). Functions (callbacks) are never state and are always kept too.
 */
export const KEEP: Record<string, readonly string[]> = {
  Store: ['options', 'listeners', 'slicedListeners', 'toSlice', 'held', 'heldUpserts', 'settledWaiters'],
  EngineState: ['valuationCurrency', 'options'],
  PortfolioSlice: ['valuationCurrency'],
  EquityTracker: ['options'],
  LabeledDistribution: ['buckets'],
};

const sameNames = (names: string[]) => Object.fromEntries(names.map((k) => [k, k]));

/**
 * EngineState version 1 held every field itself; version 2 holds them in its slices. Each
 * slice's fields, by their version-1 name (ExecutionSlice.quality was EngineState.execution).
 * Written out, not read from the slices' schemas: this is what version 1 was, whatever they become.
 */
const SLICES_OF_VERSION_1: Record<string, { tag: string; fields: Record<string, string> }> = {
  execution: {
    tag: 'ExecutionSlice',
    fields: {
      orders: 'orders',
      fillIds: 'fillIds',
      recentFills: 'recentFills',
      submitted: 'submitted',
      closed: 'closed',
      fills: 'fills',
      filledNotional: 'filledNotional',
      feesPaid: 'feesPaid',
      fillTime: 'fillTime',
      quality: 'execution',
    },
  },
  market: { tag: 'MarketSlice', fields: { marks: 'marks' } },
  portfolio: {
    tag: 'PortfolioSlice',
    fields: sameNames([
      'positions',
      'cash',
      'cashGap',
      'cashInPositions',
      'lastBalanceTs',
      'trips',
      'roundTripOutcomes',
      'unvalued',
      'valuationGaps',
      'noticesGiven',
      'equity',
    ]),
  },
  risk: { tag: 'RiskSlice', fields: sameNames(['halted', 'haltReason', 'haltsTotal', 'riskLimits']) },
  strategy: {
    tag: 'StrategySlice',
    fields: sameNames(['strategies', 'strategyTransitions', 'lastActiveStrategy', 'signals']),
  },
  health: {
    tag: 'HealthSlice',
    fields: sameNames([
      'components',
      'venueLatency',
      'venueErrors',
      'engineAlerts',
      'recentAlerts',
      'eventsByType',
      'lastEventTs',
      'labelValues',
    ]),
  },
};

/** Version 1 → 2: the flat fields grouped into slices (the encoded values are moved, not copied). */
function engineIntoSlices(v1: Fields): Fields {
  const v2: Fields = { engine: v1.engine };
  const used = new Set(['engine']);
  for (const [slice, { tag, fields }] of Object.entries(SLICES_OF_VERSION_1)) {
    const f: Fields = {};
    for (const [name, old] of Object.entries(fields)) {
      // A field missing here is reported as missing from the slice by the decoder.
      if (old in v1) f[name] = v1[old];
      used.add(old);
    }
    v2[slice] = { $t: tag, f };
  }
  // A field no slice takes is kept, so the decoder names it as unknown.
  for (const [k, v] of Object.entries(v1)) if (!used.has(k)) v2[k] = v;
  return v2;
}

/** An encoded object (a class node: `$t` and `f`), or null when it is not one. */
function objectNode(node: Encoded): Fields | null {
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? node : null;
}

/** An encoded class node's fields, or null when it is not one. */
function classFields(node: Fields | null): Fields | null {
  return node ? objectNode(node.f) : null;
}

/**
 * Version 2 → 3: the mark arrivals and the recent marks move from the execution quality to
 * the market slice. New slice nodes, the values themselves moved (never copied), and the
 * snapshot as written left as it was: references are numbered on it. A slice not as
 * version 2 wrote it is left for the decoder to name.
 */
function marksIntoMarket(v2: Fields, _target: object, resolve: (value: Encoded) => Encoded): Fields {
  const execution = objectNode(resolve(v2.execution));
  const market = objectNode(resolve(v2.market));
  const executionFields = classFields(execution);
  const qualityNode = executionFields ? objectNode(resolve(executionFields.quality)) : null;
  const quality = classFields(qualityNode);
  const marketFields = classFields(market);
  if (!execution || !executionFields || !qualityNode || !quality || !market || !marketFields) return v2;
  const { markArrivals, recentMarks, ...qualityRest } = quality;
  const moved: Fields = {};
  if (markArrivals !== undefined) moved.markArrivals = markArrivals;
  if (recentMarks !== undefined) moved.recentMarks = recentMarks;
  const node = (original: Fields, f: Fields): Fields => ({ ...original, f });
  return {
    ...v2,
    execution: node(execution, { ...executionFields, quality: node(qualityNode, qualityRest) }),
    market: node(market, { ...marketFields, ...moved }),
  };
}

/** Distribution version 1 → 2: its counts keyed by the bounds it carried (which it no longer does). */
function countsByBound(written: Fields, _target: object, resolve: (value: Encoded) => Encoded): Fields {
  const { counts, buckets: shared, ...fields } = written;
  // The bounds were one array shared with the LabeledDistribution (written once, then referred to).
  const buckets = resolve(shared);
  if (!Array.isArray(counts) || !Array.isArray(buckets) || counts.length !== buckets.length)
    throw new SnapshotError('a histogram of the snapshot is malformed: counts and bounds differ in length');
  return { ...fields, counts: Object.fromEntries(buckets.map((b, i) => [String(b), counts[i]])) };
}

export const SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  Store: { version: 1, fields: fieldsOf<Store>()(['engines'], ['eventIds']) },
  EngineState: {
    version: 3,
    fields: fieldsOf<EngineState>()([
      'engine',
      'execution',
      'market',
      'portfolio',
      'risk',
      'strategy',
      'health',
    ]),
    migrations: { 1: engineIntoSlices, 2: marksIntoMarket },
  },
  ...EXECUTION_SCHEMAS,
  ...PORTFOLIO_SCHEMAS,
  ...MARKET_SCHEMAS,
  ...RISK_SCHEMAS,
  ...STRATEGY_SCHEMAS,
  ...HEALTH_SCHEMAS,
  Distribution: {
    // Version 2: counts by bound, bounds from code (version 1 carried the bounds).
    version: 2,
    fields: fieldsOf<Distribution>()(['counts', 'count', 'sum']),
    migrations: { 1: countsByBound },
    written: (d) =>
      d instanceof Distribution ? { counts: d.countsByBound(), count: d.count, sum: d.sum } : {},
  },
  LabeledDistribution: {
    version: 2,
    fields: fieldsOf<LabeledDistribution>()([], ['entries']),
    migrations: { 1: ({ buckets: _bounds, ...fields }) => fields },
    restore(ld, note) {
      if (ld instanceof LabeledDistribution && !ld.restoreCounts())
        note(
          `histogram counts were written at other bucket bounds than [${ld.buckets.join(', ')}]; ` +
            'a bound kept has its count exact, a new one the count of the largest bound below it',
        );
    },
  },
  LabeledCounter: { version: 1, fields: fieldsOf<LabeledCounter>()([], ['entries']) },
  BoundedSet: { version: 1, fields: fieldsOf<BoundedSet>()([], ['items', 'capacity']) },
  BoundedMap: { version: 1, fields: fieldsOf<BoundedMap<unknown>>()([], ['capacity']) },
};

export function schemaOf(name: string, path: () => string): ClassSchema {
  const schema = SCHEMAS[name];
  if (!schema)
    throw new SnapshotError(
      `the state class ${name} at ${path()} has no snapshot schema: add it to its slice's schema.ts (state/<slice>/schema.ts) or to snapshot-schemas.ts`,
    );
  return schema;
}

/** The versions of every class schema, as a snapshot records them. */
export function currentVersions(): Record<string, number> {
  return Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => [name, s.version]));
}
