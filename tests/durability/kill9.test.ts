/**
 * docs/architecture.md ("Durability"): a 2xx means every event of the batch is applied and durable, and an
 * acknowledged event survives `kill -9`. Two engines stream batches to the real exporter;
 * it is killed with SIGKILL in the middle; a torn half-record is left at the end of the
 * journal as a crash in mid-write would; the restarted exporter holds every acknowledged
 * event, and after the client retries what was never acknowledged (idempotent by event
 * id), orders, positions and PnL equal those of an exporter that never crashed.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DemoEngine } from '../../exporter/src/sources/demo';
import { postEvents, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';

jest.setTimeout(120_000);

const START = Date.parse('2026-03-09T00:00:00Z');
const BATCHES = 240;
const KILL_AFTER = 120;
const ENGINES = ['kill-a', 'kill-b'];

/** Deterministic batches per engine, every event with an id (so a retry is harmless). */
function stream(engine: string, seed: number): unknown[][] {
  const demo = new DemoEngine(seed, engine);
  return Array.from({ length: BATCHES }, (_, b) =>
    demo.next(START + b * 30_000).map((e, i) => ({ ...e, id: `${engine}-${b}-${i}` })),
  );
}

async function domainState(
  ex: RunningExporter,
): Promise<{ metrics: string; orders: unknown; positions: unknown; state: unknown }> {
  const samples = await scrape(ex.baseUrl);
  const metrics = [...samples]
    // The market-data age is wall-clock time since a mark arrived: it moves between scrapes.
    .filter(([k]) => k.startsWith('trading_') && !k.startsWith('trading_market_data_age'))
    .map(([k, v]) => `${k} ${v}`)
    .sort()
    .join('\n');
  const get = async (p: string) => {
    const res = await fetch(`${ex.baseUrl}/api/v1/${p}`, {
      headers: { Authorization: `Bearer ${ex.viewerToken}` },
    });
    return (await res.json()) as Record<string, unknown[]>;
  };
  const sortBy = (rows: unknown[], key: (r: Record<string, unknown>) => string) =>
    [...(rows as Record<string, unknown>[])].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    metrics,
    orders: sortBy((await get('orders')).orders, (o) => `${o.engine}/${o.order_id}`),
    positions: sortBy((await get('positions')).positions, (p) => `${p.engine}/${p.symbol}`),
    state: sortBy((await get('state')).engines, (e) => String(e.engine)),
  };
}

const TOKENS = {
  TRADEWATCH_INGEST_TOKENS: 'it:ingest-kill9-token-000001',
  TRADEWATCH_VIEWER_TOKENS: 'v:viewer-kill9-token-000001',
};
const ENV = {
  ...TOKENS,
  TRADEWATCH_SOURCE: 'none',
  TRADEWATCH_JOURNAL_FSYNC: 'batch',
  TRADEWATCH_SNAPSHOT_EVERY: '1500',
  TRADEWATCH_INGEST_RATE_LIMIT: '1000000',
};

describe('kill -9 in the middle of a stream of acknowledged batches', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-kill9-'));
  const running: RunningExporter[] = [];
  afterAll(async () => {
    for (const ex of running) await ex.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged event and converges after retries', async () => {
    const streams = ENGINES.map((engine, i) => stream(engine, 21 + i));
    const first = await startExporter({ dataDir, env: ENV });
    running.push(first);

    const acked = ENGINES.map(() => new Set<number>());
    let killed = false;
    const killing = (async () => {
      while (acked[0].size < KILL_AFTER) await new Promise((r) => setTimeout(r, 2));
      killed = true;
      await first.kill();
    })();
    // One sequential poster per engine: within an engine the order of batches is fixed.
    await Promise.all(
      streams.map(async (batches, e) => {
        for (let b = 0; b < batches.length && !killed; b++) {
          try {
            const r = await postEvents(first, batches[b]);
            if (r.status === 200) acked[e].add(b);
          } catch {
            return; // the connection died with the process
          }
        }
      }),
    );
    await killing;
    expect(acked[0].size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acked[0].size).toBeLessThan(BATCHES); // it really was in the middle

    // A crash in mid-write leaves the start of a record without its end.
    const dir = path.join(dataDir, 'journal');
    const segments = readdirSync(dir)
      .filter((f) => f.startsWith('segment-'))
      .sort();
    const last = path.join(dir, segments[segments.length - 1]);
    const head = readFileSync(last).subarray(0, 120);
    appendFileSync(last, head.length > 0 ? head : Buffer.from('0badc0de {"s":'));

    const second = await startExporter({ dataDir, env: ENV, port: first.port });
    running.push(second);
    expect(second.output()).toContain('journal: cut off a torn record');

    // Every acknowledged event is there (the count per engine is at least the acknowledged one).
    const samples = await scrape(second.baseUrl);
    for (let e = 0; e < ENGINES.length; e++) {
      const ackedEvents = [...acked[e]].reduce((n, b) => n + streams[e][b].length, 0);
      const applied = sumOf(samples, 'trading_events_total', { engine: ENGINES[e] });
      const inFlight = streams[e][Math.max(...acked[e], -1) + 1]?.length ?? 0;
      expect(applied).toBeGreaterThanOrEqual(ackedEvents);
      expect(applied).toBeLessThanOrEqual(ackedEvents + inFlight);
    }

    // The client retries what it never saw acknowledged, then sends the rest.
    for (let e = 0; e < ENGINES.length; e++) {
      for (let b = 0; b < BATCHES; b++) {
        if (acked[e].has(b)) continue;
        const r = await postEvents(second, streams[e][b]);
        expect(r.status).toBe(200);
      }
    }

    // An exporter that never crashed, fed the same batches once, in the same order.
    const reference = await startExporter({ env: { ...ENV, TRADEWATCH_JOURNAL: 'false' } });
    running.push(reference);
    for (let e = 0; e < ENGINES.length; e++)
      for (const batch of streams[e]) expect((await postEvents(reference, batch)).status).toBe(200);

    const restored = await domainState(second);
    const expected = await domainState(reference);
    expect((restored.orders as unknown[]).length).toBeGreaterThan(0);
    expect((restored.positions as unknown[]).length).toBeGreaterThan(0);
    expect(restored.orders).toEqual(expected.orders);
    expect(restored.positions).toEqual(expected.positions);
    expect(restored.state).toEqual(expected.state);
    expect(restored.metrics).toEqual(expected.metrics);
  });
});
