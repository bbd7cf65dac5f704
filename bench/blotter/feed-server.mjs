/**
 * A tiny stand-in for the exporter's /feed, for the benchmark only: it serves the standalone
 * blotter build at /blotter/ and speaks the feed protocol (docs/feed-protocol.md) on /feed,
 * with a synthetic order book: N active orders and a steady stream of changes.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer } from 'ws';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
};
const SYMBOLS = ['XRP/USD', 'DOGE/USD', 'BTC/USD', 'ETH/USD', 'SOL/USD', 'ADA/USD', 'LTC/USD', 'DOT/USD'];
const STRATEGIES = ['mm', 'trend', 'meanrev', 'arb'];
const ENGINES = ['galfriday', 'paper-1', 'paper-2'];

export function createBook(active, seed = 1) {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  let next = 0;
  const orders = new Map();
  const now = () => new Date().toISOString();
  const make = () => {
    next++;
    const symbol = SYMBOLS[next % SYMBOLS.length];
    const price = Math.round((0.1 + rand() * 100) * 10000) / 10000;
    const o = {
      engine: ENGINES[next % ENGINES.length],
      order_id: `bench-${next}`,
      client_order_id: `c-${next}`,
      symbol,
      side: rand() < 0.5 ? 'buy' : 'sell',
      order_type: 'limit',
      status: 'new',
      quantity: Math.round(1 + rand() * 1000),
      filled_quantity: 0,
      limit_price: price,
      fees: 0,
      fee_currency: 'USD',
      strategy: STRATEGIES[next % STRATEGIES.length],
      created_at: new Date(Date.now() - Math.floor(rand() * 3_600_000)).toISOString(),
      updated_at: now(),
    };
    orders.set(o.order_id, o);
    return o;
  };
  for (let i = 0; i < active; i++) make();
  const ids = () => Array.from(orders.keys());
  let idList = ids();

  /** `count` changes: mostly partial fills, some closes each replaced by a new order. */
  function changes(count) {
    const upserts = [];
    const removes = [];
    const closed = [];
    for (let i = 0; i < count; i++) {
      const id = idList[Math.floor(rand() * idList.length)];
      const o = orders.get(id);
      if (!o) continue;
      const r = rand();
      if (r < 0.1) {
        orders.delete(id);
        removes.push({ engine: o.engine, order_id: o.order_id }); // identities (docs/feed-protocol.md "Keys")
        closed.push({
          ...o,
          status: r < 0.05 ? 'canceled' : 'filled',
          filled_quantity: r < 0.05 ? o.filled_quantity : o.quantity,
          updated_at: now(),
        });
        upserts.push(make());
      } else {
        const filled = Math.min(o.quantity, o.filled_quantity + Math.max(1, Math.round(o.quantity * 0.05)));
        const u = {
          ...o,
          filled_quantity: filled,
          status: 'partially_filled',
          avg_fill_price: o.limit_price,
          fees: Math.round(filled * o.limit_price * 0.0016 * 100) / 100,
          updated_at: now(),
        };
        orders.set(id, u);
        upserts.push(u);
      }
    }
    if (removes.length) idList = ids();
    return { upserts, removes, closed };
  }
  return { orders, changes };
}

export async function startFeedServer({ staticDir, token, active, updatesPerSecond, tickMs = 50 }) {
  const book = createBook(active);
  const clients = new Set();
  let streaming = false;
  let sent = 0;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/blotter') {
      res.writeHead(301, { location: '/blotter/' }).end();
      return;
    }
    if (url.pathname.startsWith('/blotter/')) {
      const rel = url.pathname.slice('/blotter/'.length) || 'index.html';
      const file = path.join(staticDir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
      try {
        const body = await readFile(file);
        res
          .writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
          .end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
      return;
    }
    res.writeHead(404).end('not found');
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('tradewatch.v1') ? 'tradewatch.v1' : false),
  });
  server.on('upgrade', (req, socket, head) => {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    // the token as a browser offers it (subprotocol) or as Grafana's data proxy adds it (bearer)
    const bearer = req.headers.authorization === `Bearer ${token}`;
    if (
      new URL(req.url, 'http://x').pathname !== '/feed' ||
      !(bearer || offered.includes(`tradewatch.token.${token}`))
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = { ws, seq: 0, subscribed: false };
      clients.add(client);
      ws.on('close', () => clients.delete(client));
      ws.on('message', (data) => {
        let m;
        try {
          m = JSON.parse(String(data));
        } catch {
          return;
        }
        if (m.op === 'ping') {
          ws.send(JSON.stringify({ type: 'heartbeat', ts: Date.now(), echo: m.ts }));
        } else if (m.op === 'subscribe' && m.channel === 'orders') {
          client.seq = 1;
          client.subscribed = true;
          ws.send(
            JSON.stringify({
              type: 'snapshot',
              channel: 'orders',
              seq: client.seq,
              rows: Array.from(book.orders.values()),
            }),
          );
        }
      });
    });
  });

  const perTick = Math.round((updatesPerSecond * tickMs) / 1000);
  const timer = setInterval(() => {
    const live = Array.from(clients).filter((c) => c.subscribed);
    if (!streaming || live.length === 0) {
      for (const c of live) c.ws.send(JSON.stringify({ type: 'heartbeat', ts: Date.now() }));
      return;
    }
    const { upserts, removes, closed } = book.changes(perTick);
    sent += upserts.length + removes.length - closed.length;
    for (const c of live) {
      c.seq++;
      c.ws.send(JSON.stringify({ type: 'update', channel: 'orders', seq: c.seq, upserts, removes, closed }));
    }
  }, tickMs);

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    setStreaming: (on) => (streaming = on),
    changesSent: () => sent,
    activeOrders: () => book.orders.size,
    async stop() {
      clearInterval(timer);
      for (const c of clients) c.ws.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
