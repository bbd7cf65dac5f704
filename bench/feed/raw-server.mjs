// The raw baseline: a plain `ws` broadcast of the same order events, with no auth, no
// state, no subscriptions and no slow-client care. POST /events takes a JSON array; every
// BATCH_MS what arrived is sent to every client as one frame (send(string) per client).
import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');

const batchMs = Number(process.env.BATCH_MS ?? 100);
let pending = [];
let seq = 0;
const clients = new Set();
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/events') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const events = JSON.parse(body);
      for (const e of events) pending.push(e);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    return;
  }
  if (req.url === '/stats') {
    const m = process.memoryUsage();
    const cpu = process.cpuUsage();
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        clients: clients.size,
      }),
    );
    return;
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => undefined);
  }),
);
setInterval(() => {
  if (pending.length === 0) return;
  const text = JSON.stringify({
    type: 'update',
    channel: 'orders',
    seq: ++seq,
    upserts: pending,
    removes: [],
  });
  pending = [];
  for (const ws of clients) ws.send(text);
}, batchMs);
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
