/**
 * 2 M remembered ids through the real Store: past the 1 M bound of the event-id and
 * fill-id sets, a batch of 1,000 fills takes about what it took below it (issue 25: on
 * main, time per 100 k fills went from 5 s to 93 s past 1 M ids, one batch held 1.5 s).
 */
import { validateBatch } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import { Store } from './store';

const BATCH = 1_000;
const FILLS = 1_300_000;

function fills(from: number): TradingEvent[] {
  const raw = [];
  for (let i = from; i < from + BATCH; i++)
    raw.push({
      type: 'fill',
      engine: 'e',
      id: `ev-${i}`,
      ts: 1_767_225_600_000 + i,
      fill_id: `f-${i}`,
      order_id: `o-${i >> 4}`,
      symbol: 'XRP/USD',
      side: i % 2 === 0 ? 'buy' : 'sell',
      price: '0.5',
      quantity: '10',
    });
  const batch = validateBatch(raw);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  return batch.events;
}

it('applies fills past 1 M remembered event and fill ids at the pace it applied them below', () => {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const times: number[] = [];
  let worst = 0;
  for (let i = 0; i < FILLS; i += BATCH) {
    const events = fills(i);
    const t0 = performance.now();
    store.apply(events);
    const ms = performance.now() - t0;
    times.push(ms);
    worst = i >= 1_000_000 ? Math.max(worst, ms) : worst;
    // On main a batch past the bound took 100+ ms and rising: stop early rather than run for minutes.
    if (i >= 1_000_000 && ms > 1_000) break;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const below = mean(times.slice(500, 900));
  const past = mean(times.slice(1_050));
  console.log({ below, past, worst });
  expect(store.engine('e').execution.fillIds.size).toBe(1_000_000);
  expect(past / below).toBeLessThan(3);
  expect(worst).toBeLessThan(1_000);
}, 300_000);
