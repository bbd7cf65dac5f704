// bench/stalls/preload.mjs: records every stretch in which the event loop did not turn for
// longer than STALL_MS (default 30), as [from, to] in microseconds of the monotonic clock a
// V8 CPU profile uses; written at exit to $STALL_DIR/stalls-<pid>.json. With --cpu-prof beside
// it, report.mjs names what ran in each stall (a profile alone cannot tell turns apart).
//   mkdir /tmp/st; BENCH_EXPORTER_ENV="STALL_DIR=/tmp/st" BENCH_NODE_ARGS="--import $PWD/bench/stalls/preload.mjs
//     --cpu-prof --cpu-prof-dir=/tmp/st --cpu-prof-interval=250" npx tsx bench/ingest/large-batch.bench.ts
//   node bench/stalls/report.mjs /tmp/st
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.STALL_DIR ?? process.cwd();
const limit = BigInt(Math.round(Number(process.env.STALL_MS ?? 30) * 1e6));
const stalls = [];
let last = process.hrtime.bigint();
setInterval(() => {
  const now = process.hrtime.bigint();
  if (now - last > limit) stalls.push([Number(last / 1000n), Number(now / 1000n)]);
  last = now;
}, 1).unref();
process.on('exit', () => writeFileSync(path.join(dir, `stalls-${process.pid}.json`), JSON.stringify(stalls)));
