/**
 * @tradewatch/feed-protocol: what the live feed's two ends share, and nothing else. No
 * dependency and no Node API: the exporter loads it at run time and the browser bundles it.
 */
export * from './channels';
export * from './identity';
export * from './messages';
export * from './rows';
