/** NautilusTrader, monitored natively through its message bus in Redis streams (docs/integrations/nautilus.md). */
export {
  createNautilusAdapter,
  causeOf,
  ENGINE_REPORTED_EQUITY,
  ENGINE_REPORTED_REALIZED_PNL,
} from './adapter';
export { nautilusAdapterFor } from './wiring';
export { NautilusSource, type NautilusSourceOptions } from './source';
export type { NautilusRecord } from './records';
