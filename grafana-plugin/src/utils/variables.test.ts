import { resolveFeedUrl, resolveFilter, resolveFilterValue, toFeedFilter, type ReplaceVariables } from './variables';

/** A tiny stand-in for Grafana's replaceVariables. */
const vars = (values: Record<string, string | string[]>): ReplaceVariables =>
  ((value: string) =>
    value.replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a, b) => {
      const v = values[a ?? b];
      if (v === undefined) {
        return m;
      }
      return Array.isArray(v) ? v.join(',') : v;
    })) as ReplaceVariables;

describe('variable interpolation', () => {
  it('interpolates a single value', () => {
    expect(resolveFilterValue('$engine', vars({ engine: 'galfriday' }))).toEqual(['galfriday']);
    expect(resolveFilterValue('${symbol}', vars({ symbol: 'XRP/USD' }))).toEqual(['XRP/USD']);
  });

  it('treats empty, All and unknown variables as no filter', () => {
    const r = vars({ engine: '$__all', strategy: 'All' });
    expect(resolveFilterValue('', r)).toBeUndefined();
    expect(resolveFilterValue('$engine', r)).toBeUndefined();
    expect(resolveFilterValue('$strategy', r)).toBeUndefined();
    expect(resolveFilterValue('$symbol', r)).toBeUndefined();
  });

  it('gives the list of a multi-value variable, filtered client side only', () => {
    const r = vars({ engine: ['e1', 'e2'], symbol: 'XRP/USD' });
    const resolved = resolveFilter({ engine: '$engine', strategy: '', symbol: '$symbol' }, r);
    expect(resolved).toEqual({ engine: ['e1', 'e2'], symbol: ['XRP/USD'] });
    expect(toFeedFilter(resolved)).toEqual({ symbol: 'XRP/USD' });
  });

  it('interpolates the feed URL and refuses non-WebSocket URLs', () => {
    const r = vars({ host: 'exporter.internal' });
    expect(resolveFeedUrl('wss://$host:9478/feed', r)).toBe('wss://exporter.internal:9478/feed');
    expect(resolveFeedUrl('http://$host/feed', r)).toBe('');
    expect(resolveFeedUrl('', r)).toBe('');
  });
});
