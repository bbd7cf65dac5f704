// The load: order lifecycles new → partially_filled (+300 ms) → filled (+600 ms), RATE
// updates/s in posts every 10 ms; `client_order_id` carries the wall-clock post time.
const TICK_MS = 10;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

process.once('message', async ({ postUrl, headers, prefix, rate, seconds }) => {
  const perTickNew = rate / (1000 / TICK_MS) / 3;
  const created = [];
  let carry = 0;
  let n = 0;
  let posted = 0;
  let failed = 0;
  let inflight = 0;
  const start = Date.now();
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  let tick = -1;
  while (tick < ticks - 1) {
    const wait = start + (tick + 1) * TICK_MS - Date.now();
    if (wait > 0) await sleep(wait);
    // Every tick that came due (timers slip on a busy machine) goes out in this one post.
    const dueTick = Math.min(ticks - 1, Math.floor((Date.now() - start) / TICK_MS));
    const now = Date.now();
    const events = [];
    const order = (id, status, filled) => ({
      type: 'order',
      ts: now,
      engine: 'bench',
      order_id: id,
      symbol: n % 2 ? 'BTC/USD' : 'ETH/USD',
      side: n % 2 ? 'buy' : 'sell',
      order_type: 'limit',
      status,
      quantity: 1,
      filled_quantity: filled,
      limit_price: 100 + (n % 50),
      strategy: 'momentum',
      client_order_id: `t${now}`,
    });
    while (tick < dueTick) {
      tick += 1;
      carry += perTickNew;
      const fresh = [];
      for (; carry >= 1; carry -= 1) {
        const id = `${prefix}${n++}`;
        fresh.push(id);
        events.push(order(id, 'new', 0));
      }
      created.push(fresh);
      for (const id of created[tick - 30] ?? []) events.push(order(id, 'partially_filled', 0.5));
      for (const id of created[tick - 60] ?? []) events.push(order(id, 'filled', 1));
      if (tick >= 60) created[tick - 60] = null;
    }
    if (inflight >= 200) {
      failed += events.length; // the server cannot keep up: count, do not queue unboundedly
      continue;
    }
    inflight += 1;
    fetch(postUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(events),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) posted += events.length;
        else failed += events.length;
      })
      .catch(() => (failed += events.length))
      .finally(() => (inflight -= 1));
  }
  while (inflight > 0) await sleep(10);
  const took = (Date.now() - start) / 1000;
  process.send({ posted, failed, rate: posted / took, seconds: took }, () => process.exit(0));
});
