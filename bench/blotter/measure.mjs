/**
 * What the blotter benchmarks measure in the page and how they print it (bench.mjs: the
 * standalone page on its direct feed; frames.bench.ts: the panel fed by the data source's frames).
 */
/** Runs in the page: frame intervals from requestAnimationFrame, long tasks, DOM rows. */
export function measure(ms) {
  return new Promise((resolve) => {
    const frames = [];
    const rows = [];
    let longTasks = 0;
    let longTaskMs = 0;
    let obs = null;
    try {
      obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          longTasks++;
          longTaskMs += e.duration;
        }
      });
      obs.observe({ type: 'longtask' });
    } catch {
      obs = null;
    }
    const sample = () => rows.push(document.querySelectorAll('[data-testid="blotter-row"]').length);
    const sampler = setInterval(sample, 250);
    let last = 0;
    let end = 0;
    const tick = (t) => {
      frames.push(t - last);
      last = t;
      if (t < end) {
        requestAnimationFrame(tick);
      } else {
        clearInterval(sampler);
        sample();
        obs?.disconnect();
        resolve({ frames, rows, longTasks, longTaskMs, domNodes: document.getElementsByTagName('*').length });
      }
    };
    requestAnimationFrame((t) => {
      last = t;
      end = t + ms;
      requestAnimationFrame(tick);
    });
  });
}

const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
export function stats(r, seconds) {
  const s = [...r.frames].sort((a, b) => a - b);
  return {
    frames: s.length,
    fps: s.length / seconds,
    median: pct(s, 50),
    p95: pct(s, 95),
    p99: pct(s, 99),
    max: s[s.length - 1],
    over33: s.filter((x) => x > 33.4).length,
    longTasks: r.longTasks,
    longTaskMs: r.longTaskMs,
    rowsMax: r.rows.length ? Math.max(...r.rows) : 0,
    domNodes: r.domNodes,
  };
}

export const f = (x) =>
  typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(1)) : String(x);
export function table(rows) {
  const cols = [
    'run',
    'frames',
    'fps',
    'median ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    '>33ms',
    'long tasks',
    'long task ms',
    'DOM rows',
    'DOM nodes',
  ];
  const data = rows.map(([name, s]) =>
    [
      name,
      s.frames,
      s.fps,
      s.median,
      s.p95,
      s.p99,
      s.max,
      s.over33,
      s.longTasks,
      s.longTaskMs,
      s.rowsMax,
      s.domNodes,
    ].map(f),
  );
  const w = cols.map((c, i) => Math.max(c.length, ...data.map((d) => d[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(line(cols));
  data.forEach((d) => console.log(line(d)));
}
