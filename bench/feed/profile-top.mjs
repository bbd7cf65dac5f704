// The heaviest functions of a .cpuprofile by self time, and the share of the samples each
// takes:  node bench/feed/profile-top.mjs <file.cpuprofile> [rows=25]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const self = new Map();
for (const [id, count] of hits) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  self.set(name, (self.get(name) ?? 0) + count);
}
const total = profile.samples.length;
const seconds = (profile.endTime - profile.startTime) / 1e6;
console.log(`${total} samples over ${seconds.toFixed(1)} s`);
for (const [name, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg ?? 25)))
  console.log(`${((100 * count) / total).toFixed(1).padStart(5)} %  ${name}`);
