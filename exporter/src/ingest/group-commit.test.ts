/**
 * Group commit in the ingest service and the journal (issue 23): batches that arrive while a
 * sync is in flight share the next write and sync; each is answered only once its own record
 * is durable; a failed write refuses exactly the batches it carried, none of them applied;
 * the caps count what is staged as if it were applied; a restart restores what was answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { exportStore } from '../state/snapshot';
import { Store, type StoreOptions } from '../state/store';
import { DurableJournal, type JournalBatch } from '../storage/journal';
import { Ingestor, type IngestResult, type Journal } from './ingestor';

const OPTIONS: StoreOptions = {
  valuationCurrency: 'USD',
  equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
};
const LIMITS = {
  engines: 3,
  symbols: 100,
  strategies: 10,
  currencies: 10,
  components: 10,
  riskLimits: 10,
  venues: 10,
};
const T = Date.parse('2026-03-02T10:00:00Z');
const silent = pino({ level: 'silent' });

const fill = (engine: string, n: number) => ({
  type: 'fill',
  ts: T + n,
  engine,
  fill_id: `f-${n}`,
  order_id: `o-${n}`,
  symbol: 'BTC/USD',
  side: n % 2 === 0 ? 'buy' : 'sell',
  price: '64000.5',
  quantity: '0.01',
  fee: '0.25',
  fee_currency: 'USD',
});

/** The real journal, with one chosen write made to fail as a full disk would fail it. */
class FailingOnce implements Journal {
  writes = 0;
  /** The fill ids of the batches the failed write carried. */
  failed: string[] = [];
  constructor(
    private readonly real: DurableJournal,
    private readonly failWrite: number,
  ) {}
  async appendAll(batches: readonly JournalBatch[]): Promise<void> {
    this.writes += 1;
    if (this.writes === this.failWrite) {
      for (const b of batches) for (const e of b.events) if (e.type === 'fill') this.failed.push(e.fill_id);
      // Let the batches queued behind this write arrive while it is "in flight".
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('ENOSPC: no space left on device, write');
    }
    await this.real.appendAll(batches);
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-group-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const openJournal = (store: Store) =>
  DurableJournal.open(store, {
    dir,
    fsync: 'batch',
    snapshotEvery: 1_000_000,
    log: silent,
    version: 'test',
    lastSeen: new Map(),
  });

describe('group commit', () => {
  it('concurrent one-event batches share writes and syncs, and every answered batch survives a restart', async () => {
    const store = new Store(OPTIONS);
    const journal = await openJournal(store);
    const ingestor = new Ingestor(store, silent, journal);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => ingestor.ingest({ values: [fill('e1', n)] }, 'test')),
    );
    expect(results.every((r) => r.ok && r.applied === 1)).toBe(true);
    expect(journal.stats.records).toBe(200);
    // 200 batches in far fewer writes: each write carried every batch that arrived meanwhile.
    expect(journal.stats.groups).toBeLessThan(20);
    expect(store.engines.get('e1')?.execution.fillIds.size).toBe(200);

    const restored = new Store(OPTIONS);
    const again = await openJournal(restored);
    expect(again.stats.recovery?.records).toBe(200);
    expect(JSON.stringify(exportStore(restored))).toBe(JSON.stringify(exportStore(store)));
    await again.close();
  });

  it('a failed write refuses exactly the batches it carried, applies none of them, and the next group goes on', async () => {
    const store = new Store(OPTIONS);
    const real = await openJournal(store);
    const journal = new FailingOnce(real, 2);
    const ingestor = new Ingestor(store, silent, journal);
    const first = await ingestor.ingest({ values: [fill('e1', 0)] }, 'test');
    expect(first.ok).toBe(true);
    // Write 2 fails; the batches that arrive while it is in flight go to write 3.
    const second = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ingestor.ingest({ values: [fill('e1', 1 + i)] }, 'test')),
    );
    const refused = second.filter((r): r is Extract<IngestResult, { ok: false }> => !r.ok);
    expect(journal.failed.length).toBeGreaterThan(0);
    expect(refused.length).toBe(journal.failed.length);
    expect(refused.every((r) => r.status === 500 && /ENOSPC/.test(r.error))).toBe(true);
    expect(second.filter((r) => r.ok).length).toBe(10 - refused.length);
    const fills = store.engines.get('e1')?.execution.fillIds;
    expect(fills?.size).toBe(1 + 10 - refused.length);
    for (const id of journal.failed) expect(fills?.has(id)).toBe(false);
    expect(ingestor.rejected.get({ reason: 'journal_failed' })).toBe(refused.length);

    // Sent again, the refused batches are applied once; the others are duplicates.
    const third = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ingestor.ingest({ values: [fill('e1', 1 + i)] }, 'test')),
    );
    expect(third.every((r) => r.ok)).toBe(true);
    expect(third.reduce((n, r) => n + (r.ok ? r.applied : 0), 0)).toBe(refused.length);
    expect(store.engines.get('e1')?.execution.fillIds.size).toBe(11);

    // The journal holds what was answered 2xx, each once.
    const restored = new Store(OPTIONS);
    const again = await openJournal(restored);
    expect(restored.engines.get('e1')?.execution.fillIds.size).toBe(11);
    expect(JSON.stringify(exportStore(restored))).toBe(JSON.stringify(exportStore(store)));
    await again.close();
  });

  it('the caps count staged batches: concurrent new engines never pass the engine cap', async () => {
    const store = new Store(OPTIONS);
    const journal = await openJournal(store);
    const ingestor = new Ingestor(store, silent, journal, new Map(), LIMITS);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) => ingestor.ingest({ values: [fill(`engine-${n}`, n)] }, 'test')),
    );
    expect(results.filter((r) => r.ok).length).toBe(LIMITS.engines);
    expect(results.filter((r) => !r.ok && r.status === 422).length).toBe(8 - LIMITS.engines);
    expect(store.engines.size).toBe(LIMITS.engines);
    await journal.close();
  });

  it('answers in order: a batch is never answered before the batches sent ahead of it are applied', async () => {
    const store = new Store(OPTIONS);
    const journal = await openJournal(store);
    const ingestor = new Ingestor(store, silent, journal);
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        ingestor.ingest({ values: [fill('e1', n)] }, 'test').then(() => {
          seen.push(store.engines.get('e1')?.execution.fillIds.size ?? 0);
        }),
      ),
    );
    // Answers arrive in sending order, each seeing at least its own and every earlier fill applied.
    expect(seen.every((size, i) => size >= i + 1)).toBe(true);
    await journal.close();
  });
});
