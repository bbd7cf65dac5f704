/** Hummingbot, monitored natively through its MQTT bridge (docs/integrations/hummingbot.md). */
export { hummingbotAdapterFor } from './wiring';
export { HummingbotSource } from './source';
