// A worker holding many WebSocket clients. Every client counts frames and bytes without
// decoding them (cheap, like a fast consumer); "probe" clients also parse every frame and
// record, per order row, the time from the generator's post to receipt (a 1 ms histogram).
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const HIST = 20_000; // ms
let clients = [];
let stats;
const reset = () => {
  stats = {
    frames: 0,
    bytes: 0,
    probeRows: 0,
    probeFrames: 0,
    hist: new Uint32Array(HIST + 1),
    gaps: 0,
    catchUps: 0,
    resyncs: 0,
    closed: {},
  };
};
reset();

function connectOne({ url, protocols, subscribe, probe, stalled }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
    const c = { ws, probe, stalled, lastSeq: null };
    ws.on('message', (data) => {
      if (c.stalled) return;
      stats.frames += 1;
      stats.bytes += data.length;
      if (!c.probe) return;
      const now = Date.now();
      const m = JSON.parse(data);
      if (m.type === 'snapshot' && c.lastSeq !== null) stats.resyncs += 1;
      if (m.type === 'snapshot') c.lastSeq = m.seq;
      if (m.type !== 'update') return;
      if (c.lastSeq !== null && (m.from_seq ?? m.seq) !== c.lastSeq + 1) stats.gaps += 1;
      c.lastSeq = m.seq;
      stats.probeFrames += 1;
      if (m.from_seq !== undefined) stats.catchUps += 1;
      // A change delivered is an upsert or a removal (a filled order leaves with its final row).
      for (const r of [...m.upserts, ...(m.closed ?? [])]) {
        const sent = Number(r.client_order_id.slice(1));
        stats.hist[Math.min(HIST, Math.max(0, now - sent))] += 1;
      }
      stats.probeRows += m.upserts.length + m.removes.length;
    });
    ws.on('close', (code) => {
      stats.closed[code] = (stats.closed[code] ?? 0) + 1;
    });
    ws.on('error', (err) => reject(err));
    ws.on('open', () => {
      if (subscribe) ws.send(JSON.stringify({ op: 'subscribe', channel: 'orders' }));
      // A stalled client stops reading its socket: the server must not wait for it.
      if (stalled) ws._socket.pause();
      clients.push(c);
      resolve();
    });
  });
}

process.on('message', async (msg) => {
  if (msg.cmd === 'connect') {
    for (let i = 0; i < msg.count; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(msg.count, i + 50); j++)
        batch.push(connectOne({ ...msg, probe: j < msg.probes, stalled: Boolean(msg.stalled) }));
      await Promise.all(batch);
    }
    process.send({ done: 'connect' });
  } else if (msg.cmd === 'reset') {
    reset();
    process.send({ done: 'reset' });
  } else if (msg.cmd === 'report') {
    const cpu = process.cpuUsage();
    process.send({
      done: 'report',
      stats: { ...stats, hist: Array.from(stats.hist) },
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    });
  } else if (msg.cmd === 'closeStalled') {
    for (const c of clients) if (c.stalled) c.ws.terminate();
    clients = clients.filter((c) => !c.stalled);
    process.send({ done: 'closeStalled' });
  } else if (msg.cmd === 'closeAll') {
    for (const c of clients) c.ws.terminate();
    clients = [];
    process.send({ done: 'closeAll' });
  }
});
