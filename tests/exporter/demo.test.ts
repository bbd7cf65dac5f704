/**
 * A first run: the demo engine alone brings every area's metrics to life, and the
 * exposition passes `promtool check metrics` (Debian's prometheus package).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  parseMetrics,
  scrape,
  startExporter,
  sumOf,
  waitFor,
  type RunningExporter,
} from '../support/exporter';

let ex: RunningExporter;
beforeAll(async () => {
  // The demo at its default pace (250 ms ticks), as a newcomer runs it.
  ex = await startExporter({ env: { TRADEWATCH_DEMO_INTERVAL_MS: '250' } });
});
afterAll(async () => {
  await ex?.stop();
});

const text = async () => (await fetch(`${ex.baseUrl}/metrics`)).text();

/** One representative figure per area that must move while the demo trades. */
const MOVING: Record<string, string[]> = {
  execution: ['trading_orders_submitted_total', 'trading_fills_total', 'trading_filled_notional_total'],
  portfolio: ['trading_equity', 'trading_cash_balance'],
  risk: ['trading_risk_value'],
  strategy: ['trading_signals_total'],
  health: [
    'trading_events_total',
    'trading_venue_request_seconds_count',
    'trading_last_event_timestamp_seconds',
  ],
  host: ['host_cpu_seconds_total'],
  market: ['trading_slippage_bps_count', 'trading_market_data_age_seconds'],
};

describe('demo engine', () => {
  it('within 30 s, every area carries live, changing values', async () => {
    // By 16 s the demo has switched strategy (tick 40) and been halted (tick 60).
    const first = await waitFor(
      'the demo to reach its first strategy transition and halt',
      async () => {
        const m = parseMetrics(await text());
        return sumOf(m, 'trading_strategy_transitions_total') >= 1 && sumOf(m, 'trading_halts_total') >= 1
          ? m
          : undefined;
      },
      30_000,
      500,
    );
    // Present in every area (values may rest between scrapes).
    const PRESENT = [
      'trading_orders_active',
      'trading_orders_closed_total',
      'trading_order_fill_seconds_count',
      'trading_mark_price',
      'trading_last_fill_price',
      'trading_limit_improvement_bps_count',
      'trading_order_fill_ratio_count',
      'trading_fees_paid_total',
      'trading_position_quantity',
      'trading_unrealized_pnl',
      'trading_realized_pnl',
      'trading_drawdown_ratio',
      'trading_daily_pnl',
      'trading_halted',
      'trading_exposure_ratio',
      'trading_risk_limit',
      'trading_consecutive_losses',
      'trading_strategy_active',
      'trading_component_up',
      'trading_venue_errors_total',
      'tradewatch_build_info',
      'tradewatch_feed_clients',
      'host_memory_bytes',
      'host_load1',
      'host_filesystem_avail_bytes',
      'process_resident_memory_bytes',
    ];
    // A demo halt pauses new orders for 5 s (and cancels the resting ones), and fills come in
    // bursts: wait (up to 30 s) until every area's figure has moved and every series is there,
    // on the condition rather than a fixed sleep.
    const problems = (m: Map<string, number>) => [
      ...Object.entries(MOVING).flatMap(([area, names]) =>
        names.filter((n) => sumOf(first, n) === sumOf(m, n)).map((n) => `${area}: ${n} did not change`),
      ),
      ...PRESENT.filter((n) => ![...m.keys()].some((k) => k === n || k.startsWith(n + '{'))).map(
        (n) => `${n} is absent`,
      ),
    ];
    let second = first;
    await waitFor(
      'every area to move',
      async () => problems((second = parseMetrics(await text()))).length === 0,
      30_000,
      500,
    ).catch(() => {
      throw new Error(problems(second).join(', '));
    });
    for (const name of PRESENT) {
      expect([name, [...second.keys()].some((k) => k === name || k.startsWith(name + '{'))]).toEqual([
        name,
        true,
      ]);
    }
    expect(sumOf(second, 'trading_signals_total', { decision: 'rejected' })).toBeGreaterThan(0);
    expect(
      sumOf(second, 'trading_orders_closed_total', { status: 'canceled' }) +
        sumOf(second, 'trading_orders_closed_total', { status: 'rejected' }),
    ).toBeGreaterThan(0);
    const collectors = [...second].filter(([k]) => k.startsWith('tradewatch_collector_success{'));
    expect(collectors.length).toBeGreaterThanOrEqual(6);
    expect(collectors.filter(([, v]) => v !== 1)).toEqual([]);
  }, 60_000);

  it('`promtool check metrics` reports nothing on the output', async () => {
    const body = await text();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect({ status: r.status, out: (r.stdout + r.stderr).trim() }).toEqual({ status: 0, out: '' });
  });
});

describe('demo engine across a restart', () => {
  it('trades on after the exporter restarts on its data dir: new fills are applied, the book is resynced', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-demo-restart-'));
    try {
      const first = await startExporter({ dataDir });
      const before = await waitFor(
        'demo fills',
        async () => {
          const m = await scrape(first.baseUrl);
          return sumOf(m, 'trading_fills_total') >= 5 ? m : undefined;
        },
        20_000,
        250,
      );
      await first.stop({ keepData: true });

      const second = await startExporter({ dataDir });
      try {
        const fillsBefore = sumOf(before, 'trading_fills_total');
        const after = await waitFor(
          'fills after the restart',
          async () => {
            const m = await scrape(second.baseUrl);
            return sumOf(m, 'trading_fills_total') > fillsBefore + 5 ? m : undefined;
          },
          20_000,
          250,
        );
        // Restored counters continue; the restart's resync replaced the old run's book.
        expect(sumOf(after, 'trading_orders_submitted_total')).toBeGreaterThan(
          sumOf(before, 'trading_orders_submitted_total'),
        );
        const active = (await (
          await fetch(`${second.baseUrl}/api/v1/orders`, {
            headers: { Authorization: `Bearer ${second.viewerToken}` },
          })
        ).json()) as { orders: { order_id: string }[] };
        const runs = new Set(active.orders.map((o) => o.order_id.split('-')[1]));
        expect(runs.size).toBeLessThanOrEqual(1); // only the new run's orders are working
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
