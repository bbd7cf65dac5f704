// bench/stalls/report.mjs <dir>: for each stall preload.mjs recorded, the functions the CPU
// profile of the same process sampled in it (self time, and time including callees).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? process.cwd();
const files = readdirSync(dir);
const INFRA =
  /^\((root|program|idle)\)|processTicksAndRejections|listOnTimeout|processTimers|processImmediate|runMicrotasks/;

for (const file of files.filter((f) => /^stalls-\d+\.json$/.test(f))) {
  const pid = file.slice('stalls-'.length, -'.json'.length);
  const profile = files.find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.0.`));
  if (!profile) continue;
  const p = JSON.parse(readFileSync(path.join(dir, profile), 'utf8'));
  const node = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id) => {
    const f = node.get(id).callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  };
  const at = [];
  let t = p.startTime;
  for (const d of p.timeDeltas) at.push((t += d));
  console.log(`process ${pid}`);
  for (const [from, to] of JSON.parse(readFileSync(path.join(dir, file), 'utf8'))) {
    if (from < p.startTime) continue;
    const self = new Map();
    const total = new Map();
    let samples = 0;
    for (let i = 0; i < at.length; i++) {
      if (at[i] < from || at[i] > to) continue;
      samples += 1;
      const leaf = p.samples[i];
      self.set(name(leaf), (self.get(name(leaf)) ?? 0) + 1);
      const seen = new Set();
      for (let id = leaf; id !== undefined; id = parent.get(id)) seen.add(name(id));
      for (const k of seen) total.set(k, (total.get(k) ?? 0) + 1);
    }
    const ms = (to - from) / 1000;
    const top = (m, n) =>
      [...m]
        .filter(([k]) => !INFRA.test(k))
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `${((v * ms) / Math.max(samples, 1)).toFixed(0)} ms ${k}`)
        .join(' | ');
    console.log(`  stall ${ms.toFixed(0)} ms at ${((from - p.startTime) / 1000).toFixed(0)} ms`);
    console.log(`    self: ${top(self, 6)}`);
    console.log(`    with callees: ${top(total, 8)}`);
  }
}
