/**
 * A damaged history.sqlite never stops the exporter (once: exit 1 at every start, a stack
 * trace naming neither the file nor a remedy). Truncated, random bytes, a foreign `fills`
 * table, a directory at that path, pages overwritten in mid-file: the real exporter starts,
 * moves the file aside (naming both paths and how to recover the rows), starts a fresh
 * history, ingests, and `tradewatch_history_store_up` is 1 because writes succeed.
 */
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteHistory } from '../../exporter/src/history/sqlite';
import { emptyBatch } from '../../exporter/src/history/store';
import { postEvents, scrape, startExporter, waitFor } from '../support/exporter';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-03-02T10:00:00Z');

/** A sound history file holding `n` fills (written by the store itself), checkpointed into the main file. */
async function soundHistory(file: string, n: number): Promise<void> {
  const store = new SqliteHistory(file);
  const batch = emptyBatch();
  for (let i = 0; i < n; i++)
    batch.fills.push({
      engine: 'old',
      fill_id: `f${i}`,
      order_id: `o${i}`,
      symbol: 'BTC/USD',
      side: 'buy',
      price: 100 + i,
      quantity: 1,
      fee: 0,
      tsMs: T0 + i,
      realized_pnl: 0,
    });
  await store.write(batch);
  await store.close();
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const DAMAGES: [string, (file: string) => Promise<void>][] = [
  [
    'truncated',
    async (file) => {
      await soundHistory(file, 5000);
      truncateSync(file, Math.floor(statSync(file).size / 2));
    },
  ],
  ['random bytes', async (file) => writeFileSync(file, randomBytes(64 * 1024))],
  [
    'a foreign fills table',
    async (file) => {
      const db = new Database(file);
      db.exec(
        "CREATE TABLE fills (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO fills (note) VALUES ('not ours')",
      );
      db.close();
    },
  ],
  ['a directory at that path', async (file) => mkdirSync(file)],
  [
    'pages overwritten in mid-file',
    async (file) => {
      await soundHistory(file, 20_000);
      const size = statSync(file).size;
      const fd = openSync(file, 'r+');
      writeSync(fd, randomBytes(4 * 4096), 0, 4 * 4096, Math.floor(size / 2 / 4096) * 4096);
      closeSync(fd);
    },
  ],
];

test.each(DAMAGES)(
  '%s: the exporter starts, moves the file aside, says so, and keeps a fresh history',
  async (_what, damage) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-damaged-'));
    const file = path.join(dataDir, 'history.sqlite');
    await damage(file);
    const ex = await startExporter({ dataDir, env: { TRADEWATCH_SOURCE: 'none' } });
    try {
      const moved = readdirSync(dataDir).filter((n) => n.startsWith('history.sqlite.damaged-'));
      expect(moved.length).toBeGreaterThanOrEqual(1);
      // One line naming the file, where it went, and how to get the rows back.
      const line =
        ex
          .output()
          .split('\n')
          .find((l) => l.includes('cannot be used as the trade history')) ?? '';
      expect(line).toContain(file);
      expect(line).toContain(path.join(dataDir, moved[0]));
      expect(line).toContain('.recover');

      const fill = (i: number) => ({
        type: 'fill',
        ts: T0 + i,
        engine: 'new',
        fill_id: `n${i}`,
        order_id: `o${i}`,
        symbol: 'BTC/USD',
        side: 'buy',
        price: 100,
        quantity: 1,
      });
      expect((await postEvents(ex, [fill(0), fill(1)])).status).toBe(200);
      expect((await fetch(`${ex.baseUrl}/healthz`)).status).toBe(200);
      await waitFor('the fills in the fresh history', async () => {
        const res = await fetch(`${ex.baseUrl}/api/v1/fills?engine=new`, {
          headers: { Authorization: `Bearer ${ex.viewerToken}` },
        });
        return res.ok && ((await res.json()) as { fills: unknown[] }).fills.length === 2;
      });
      const metrics = await scrape(ex.baseUrl);
      expect(metrics.get('tradewatch_history_store_up')).toBe(1);
      expect(metrics.get('tradewatch_history_write_failures_total')).toBe(0);
    } finally {
      await ex.stop();
    }
  },
);
