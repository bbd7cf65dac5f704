/**
 * What a snapshot carries of each state class: an explicit, versioned list of its fields,
 * with the migrations from older versions (see snapshot.ts).
 */
import type { EquityTracker } from './portfolio/analytics';
import type { EngineState } from './engine';
import type { ExecutionQuality } from './execution/quality';
import type { OrderBook } from './execution/orders';
import type { Position } from './portfolio/positions';
import type { Store } from './store';
import type { BoundedMap, BoundedSet } from './common/bounded';
import type { Distribution, LabeledCounter, LabeledDistribution } from './common/counters';

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** The JSON-compatible tree a snapshot is made of. */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

/**
 * Fields taken from the running process, never from the snapshot: configuration (so a
 * changed valuation currency or sampling period applies after a restart) and the Store's
 * wiring (listeners, and a batch's hold, which a snapshot never falls inside). Functions (callbacks) are never state and are always kept too.
 */
export const KEEP: Record<string, readonly string[]> = {
  Store: ['options', 'listeners', 'held', 'settledWaiters'],
  EngineState: ['valuationCurrency', 'options'],
  EquityTracker: ['options'],
};

export type Fields = { [key: string]: Encoded };

export interface ClassSchema {
  /** Raised when the list changes; each raise comes with the migration from the one before. */
  readonly version: number;
  /** The fields a snapshot carries (KEEP fields and callbacks are never carried). */
  readonly fields: readonly string[];
  /** `migrations[v]` turns the encoded fields of version v into those of v + 1. */
  readonly migrations?: Readonly<Record<number, (fields: Fields) => Fields>>;
}

/**
 * A field list: the public fields of T are checked by the compiler (a rename is a compile
 * error); the private ones are checked by the snapshot test against a fresh instance.
 */
function fieldsOf<T>() {
  return <K extends keyof T & string>(publicFields: readonly K[], privateFields: readonly string[] = []) => [
    ...publicFields,
    ...privateFields,
  ];
}

export const SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  Store: { version: 1, fields: fieldsOf<Store>()(['engines'], ['eventIds']) },
  EngineState: {
    version: 1,
    fields: fieldsOf<EngineState>()([
      'orders',
      'positions',
      'marks',
      'cash',
      'cashGap',
      'cashInPositions',
      'lastBalanceTs',
      'fillIds',
      'recentFills',
      'recentAlerts',
      'submitted',
      'closed',
      'fills',
      'filledNotional',
      'feesPaid',
      'fillTime',
      'halted',
      'haltReason',
      'haltsTotal',
      'riskLimits',
      'strategies',
      'strategyTransitions',
      'lastActiveStrategy',
      'signals',
      'components',
      'venueLatency',
      'venueErrors',
      'engineAlerts',
      'eventsByType',
      'lastEventTs',
      'labelValues',
      'trips',
      'roundTripOutcomes',
      'execution',
      'unvalued',
      'valuationGaps',
      'noticesGiven',
      'equity',
      'engine',
    ]),
  },
  Position: {
    version: 1,
    fields: fieldsOf<Position>()([
      'quantity',
      'avgPrice',
      'realized',
      'realizedValue',
      'fees',
      'tripPnl',
      'tripValue',
      'tripValueIncomplete',
      'tripOpenedAt',
      'tripEntryQty',
      'tripEntryNotional',
      'tripExitQty',
      'tripExitNotional',
      'tripFees',
      'tripFeesValue',
      'symbol',
    ]),
  },
  Distribution: { version: 1, fields: fieldsOf<Distribution>()(['counts', 'count', 'sum', 'buckets']) },
  LabeledDistribution: { version: 1, fields: fieldsOf<LabeledDistribution>()(['buckets'], ['entries']) },
  LabeledCounter: { version: 1, fields: fieldsOf<LabeledCounter>()([], ['entries']) },
  BoundedSet: { version: 1, fields: fieldsOf<BoundedSet>()([], ['items', 'capacity']) },
  BoundedMap: { version: 1, fields: fieldsOf<BoundedMap<unknown>>()([], ['capacity']) },
  OrderBook: { version: 1, fields: fieldsOf<OrderBook>()(['active', 'recentlyClosed']) },
  ExecutionQuality: {
    version: 1,
    fields: fieldsOf<ExecutionQuality>()([
      'markArrivals',
      'recentMarks',
      'arrivals',
      'slippage',
      'unpriced',
      'limitImprovement',
      'fillRatio',
      'lastFill',
    ]),
  },
  EquityTracker: {
    version: 1,
    fields: fieldsOf<EquityTracker>()(
      [
        'current',
        'peak',
        'maxDrawdownAll',
        'lastTs',
        'dayStartEquity',
        'samples',
        'lastSample',
        'allReturns',
      ],
      ['dayIndex'],
    ),
  },
};

export function schemaOf(name: string, path: () => string): ClassSchema {
  const schema = SCHEMAS[name];
  if (!schema)
    throw new SnapshotError(
      `the state class ${name} at ${path()} has no snapshot schema: add it to SCHEMAS in exporter/src/state/snapshot.ts`,
    );
  return schema;
}

/** The versions of every class schema, as a snapshot records them. */
export function currentVersions(): Record<string, number> {
  return Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => [name, s.version]));
}
