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
  Store: ['options', 'listeners', 'held', 'settledWaiters'],
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
    version: 2,
    fields: fieldsOf<EngineState>()([
      'engine',
      'execution',
      'market',
      'portfolio',
      'risk',
      'strategy',
      'health',
    ]),
    migrations: { 1: engineIntoSlices },
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
