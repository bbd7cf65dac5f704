/** freqtrade, monitored natively (docs/integrations/freqtrade.md). */
export { createFreqtradeAdapter, ENGINE_REPORTED_EQUITY, ENGINE_REPORTED_REALIZED_PNL } from './adapter';
export { freqtradeAdapterFor, activeTradeIdsOf } from './wiring';
export { FreqtradeSource, type FreqtradeSourceOptions } from './source';
export type { FreqtradeRecord } from './records';
