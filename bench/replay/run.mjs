// bench/replay: events/s of `tradewatch replay` (read, JSON.parse, validate, apply through
// the Ingestor, report) against the raw baseline of JSON.parse of the same file's lines,
// measured in the same run. One run; prints both rates, their ratio and the machine load.
//   node bench/replay/run.mjs      (after `npm run build -w exporter`)
// Env: TICKS=20000 (demo ticks of 1 minute of event time; about 7 events a tick)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', '..', 'exporter', 'dist');
const require = createRequire(import.meta.url);
const { DemoEngine } = require(path.join(dist, 'sources', 'demo.js'));
const { replayFile } = require(path.join(dist, 'cli', 'replay.js'));
const { defaults } = require(path.join(dist, 'config.js'));

const TICKS = Number(process.env.TICKS ?? 20000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-bench-replay-'));
const file = path.join(dir, 'events.jsonl');
try {
  const engine = new DemoEngine(42, 'bench');
  const start = Date.parse('2026-01-05T00:00:00Z');
  const lines = [];
  for (let i = 0; i < TICKS; i++)
    for (const e of engine.next(start + i * 60_000)) lines.push(JSON.stringify(e));
  writeFileSync(file, lines.join('\n') + '\n');
  const bytes = readFileSync(file).length;
  console.log(
    `file: ${lines.length} events, ${(bytes / 1e6).toFixed(1)} MB (${TICKS} demo ticks, ${(TICKS / 1440).toFixed(1)} days of event time)`,
  );

  // Baseline: read the file and JSON.parse every line, nothing else.
  let t = process.hrtime.bigint();
  let parsed = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line) parsed += JSON.parse(line) ? 1 : 0;
  const baseSeconds = Number(process.hrtime.bigint() - t) / 1e9;

  t = process.hrtime.bigint();
  const report = await replayFile(file, defaults());
  const replaySeconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (report.applied !== parsed) throw new Error(`replay applied ${report.applied} of ${parsed} events`);

  const baseRate = parsed / baseSeconds;
  const replayRate = report.applied / replaySeconds;
  console.log(
    `JSON.parse of the lines (baseline): ${Math.round(baseRate).toLocaleString('en-US')} events/s (${baseSeconds.toFixed(2)} s)`,
  );
  console.log(
    `tradewatch replay (parse + validate + apply + report): ${Math.round(replayRate).toLocaleString('en-US')} events/s (${replaySeconds.toFixed(2)} s)`,
  );
  console.log(
    `ratio replay / JSON.parse: ${(replayRate / baseRate).toFixed(3)} (JSON.parse is ${(baseRate / replayRate).toFixed(1)}× faster)`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, node ${process.version}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
