/** Hummingbot, monitored natively through its MQTT bridge (docs/integrations/hummingbot.md). */
export { createHummingbotAdapter, causeOf } from './adapter';
export { hummingbotAdapterFor } from './wiring';
export { HummingbotSource, type HummingbotSourceOptions } from './source';
export type { HummingbotRecord } from './records';
