/**
 * Gal Friday's cumulative reports posted concurrently (issue 10, item 9): the adapter runs
 * inside the ingest queue, so the second report's delta is taken against what the first
 * applied. Read outside the queue, cumulative 40 then 100 once made a position of 140.
 */
import { postEvents, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';

const T0 = Date.parse('2026-03-02T10:00:00Z');
/** datetime.isoformat() of an aware UTC datetime with microseconds, as Gal Friday writes it. */
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');

/** ExecutionReportEvent.to_dict() (gal_friday/core/events.py): every dataclass field, in order. */
function executionReport(n: number, status: string, filled: string): Record<string, unknown> {
  return {
    source_module: 'ExecutionHandler',
    event_id: `6f1c2a4e-0000-4000-8000-${String(n).padStart(12, '0')}`,
    timestamp: iso(T0 + n),
    exchange_order_id: 'OQCLML-BW3P3-BUCMWZ',
    trading_pair: 'XRP/USD',
    exchange: 'kraken',
    order_status: status,
    order_type: 'LIMIT',
    side: 'BUY',
    quantity_ordered: '100',
    signal_id: 'a1b2c3d4-0000-4000-8000-000000000001',
    client_order_id: 'gf-1',
    quantity_filled: filled,
    average_fill_price: '0.5',
    limit_price: '0.5',
    stop_price: null,
    commission: null,
    commission_asset: null,
    timestamp_exchange: iso(T0 + n - 5),
    error_message: null,
    event_type: 9,
  };
}

describe('Gal Friday reports posted at once', () => {
  let x: RunningExporter;
  beforeAll(async () => {
    x = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_JOURNAL_FSYNC: 'never' } });
  }, 30_000);
  afterAll(async () => x.stop());

  it('two concurrent cumulative reports (40, then 100) leave a position of 100, never 140', async () => {
    for (let round = 0; round < 5; round++) {
      const engine = `gf-race-${round}`;
      const query = '?format=galfriday';
      // The bridge adds `engine` to each dictionary.
      const one = {
        ...executionReport(round * 10 + 1, 'PARTIALLY_FILLED', '40'),
        exchange_order_id: `O-${round}`,
        engine,
      };
      const two = {
        ...executionReport(round * 10 + 2, 'FILLED', '100'),
        exchange_order_id: `O-${round}`,
        engine,
      };
      const answers = await Promise.all([postEvents(x, [one], { query }), postEvents(x, [two], { query })]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
    }
    const samples = await scrape(x.baseUrl);
    const positions = [...samples].filter(([k]) => k.startsWith('trading_position_quantity{'));
    expect(positions.length).toBeGreaterThan(0);
    for (const [key, value] of positions) expect([key, value]).toEqual([key, 100]);
    expect(sumOf(samples, 'trading_fills_total')).toBeGreaterThanOrEqual(5);
  });
});
