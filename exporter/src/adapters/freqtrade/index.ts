/** freqtrade, monitored natively (docs/integrations/freqtrade.md). */
export { freqtradeAdapterFor, activeTradeIdsOf } from './wiring';
export { FreqtradeSource } from './source';
