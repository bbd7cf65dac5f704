/**
 * The values each bounded label takes per engine (docs/architecture.md, "Bounds"). One function says
 * which label values an event brings; the ingest service checks them against the caps
 * before anything is journaled, and the engine records them as it applies the event, so
 * the check and the state can never disagree about what "a new symbol" is.
 */
import type { TradingEvent } from '../../events/schema';

export const DIMENSIONS = [
  'symbols',
  'strategies',
  'currencies',
  'components',
  'riskLimits',
  'venues',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type LabelValues = Record<Dimension, Set<string>>;

export function emptyLabelValues(): LabelValues {
  return {
    symbols: new Set(),
    strategies: new Set(),
    currencies: new Set(),
    components: new Set(),
    riskLimits: new Set(),
    venues: new Set(),
  };
}

type Visit = (dimension: Dimension, value: string) => void;

function order(
  o: { symbol: string; strategy?: string; fee_currency?: string; venue?: string },
  visit: Visit,
): void {
  visit('symbols', o.symbol);
  if (o.strategy !== undefined) visit('strategies', o.strategy);
  if (o.fee_currency !== undefined) visit('currencies', o.fee_currency);
  if (o.venue !== undefined) visit('venues', o.venue);
}

/** Calls `visit` for every label value the event would give a series (repeats allowed). */
export function visitLabelValues(event: TradingEvent, visit: Visit): void {
  switch (event.type) {
    case 'order':
      order(event, visit);
      break;
    case 'fill':
      visit('symbols', event.symbol);
      // A fill moves cash in its quote currency (and its fee's): those become cash labels.
      visit('currencies', event.symbol.slice(event.symbol.indexOf('/') + 1));
      if (event.strategy !== undefined) visit('strategies', event.strategy);
      if (event.fee_currency !== undefined) visit('currencies', event.fee_currency);
      break;
    case 'mark':
      visit('symbols', event.symbol);
      break;
    case 'balance':
      for (const currency of Object.keys(event.balances)) visit('currencies', currency);
      break;
    case 'risk':
      if (event.limits) for (const name of Object.keys(event.limits)) visit('riskLimits', name);
      break;
    case 'strategy':
      visit('strategies', event.strategy);
      if (event.from_strategy !== undefined) visit('strategies', event.from_strategy);
      if (event.to_strategy !== undefined) visit('strategies', event.to_strategy);
      break;
    case 'signal':
      if (event.strategy !== undefined) visit('strategies', event.strategy);
      break;
    case 'health':
      visit('components', event.component);
      // As the engine labels venue latency and errors (engine.ts, applyHealth).
      if (event.latency_seconds !== undefined || event.error !== undefined || event.status === 'down')
        visit('venues', event.venue ?? event.component);
      break;
    case 'alert':
      break;
    case 'snapshot':
      for (const o of event.orders) order(o, visit);
      if (event.positions) for (const p of event.positions) visit('symbols', p.symbol);
      if (event.balances) for (const currency of Object.keys(event.balances)) visit('currencies', currency);
      break;
  }
}
