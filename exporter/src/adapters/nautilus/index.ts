/** NautilusTrader, monitored natively through its message bus in Redis streams (docs/integrations/nautilus.md). */
export { nautilusAdapterFor } from './wiring';
export { NautilusSource } from './source';
