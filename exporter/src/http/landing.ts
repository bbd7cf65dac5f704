/** The landing page at `/`: what this is, where things are, how to point an engine at it. */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function landingPage(o: { version: string; port: number; blotter: boolean }): string {
  const example = `curl -X POST http://localhost:${o.port}/api/v1/events \\
  -H "Authorization: Bearer $TRADEWATCH_INGEST_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '[{"type":"order","ts":"2026-01-02T03:04:05Z","engine":"my-bot","order_id":"o-1",
        "symbol":"BTC/USD","side":"buy","order_type":"limit","status":"new",
        "quantity":"0.5","limit_price":"64000"}]'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tradewatch exporter ${esc(o.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}a{color:#58a6ff}pre{background:#161b22!important}}
pre{background:#f6f8fa;padding:1rem;overflow:auto;border-radius:6px}code{font-family:ui-monospace,monospace}
</style></head><body>
<h1>tradewatch exporter <small>${esc(o.version)}</small></h1>
<p>Takes a trading engine's events, keeps its live state (orders, positions, PnL, risk, health) and serves it to Prometheus and to live viewers.</p>
<ul>
<li><a href="/metrics">/metrics</a> — Prometheus metrics</li>
${o.blotter ? '<li><a href="/blotter/">/blotter/</a> — the live order blotter (asks for a viewer token)</li>' : ''}
<li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a> — liveness and readiness</li>
<li><code>/feed</code> — the live WebSocket feed (viewer token)</li>
<li><code>GET /api/v1/orders</code>, <code>/api/v1/positions</code>, <code>/api/v1/state</code> — read API (viewer token)</li>
</ul>
<h2>Point an engine at it</h2>
<p>POST events (JSON array or NDJSON) to <code>/api/v1/events</code> with an ingest token. The tokens are printed on the exporter's console at start; they are never shown on a page. Gal Friday's own events are accepted with <code>?format=galfriday</code>.</p>
<pre><code>${esc(example)}</code></pre>
<p>The event schema is in <code>docs/events.md</code> (JSON Schema: <code>docs/events.schema.json</code>).</p>
</body></html>`;
}
