import { rowKey, type ChannelView, type FillRow } from '@tradewatch/feed-client';

import { FillTape, formatPnl, pnlTone } from './fillTape';

const fill = (id: string, second: number, extra: Partial<FillRow> = {}): FillRow => ({
  engine: 'e1',
  fill_id: id,
  order_id: `o-${id}`,
  symbol: 'BTC/USD',
  side: 'sell',
  price: 100,
  quantity: 1,
  fee: 0.1,
  ts: new Date(Date.UTC(2026, 0, 5, 12, 0, second)).toISOString(),
  realized_pnl: 1,
  ...extra,
});

const snapshot = (fills: FillRow[]): ChannelView<FillRow> => ({
  channel: 'fills',
  rows: new Map(fills.map((f) => [rowKey('fills', f), f])),
  upserts: fills,
  removed: [],
  fromSnapshot: true,
  seq: 0,
});
const update = (fills: FillRow[], seq = 1): ChannelView<FillRow> => ({
  channel: 'fills',
  rows: new Map(),
  upserts: fills,
  removed: [],
  fromSnapshot: false,
  seq,
});

const ids = (tape: FillTape) => tape.rows.map((r) => `${r.fill.engine}:${r.fill.fill_id}`);

describe('FillTape', () => {
  it('shows a snapshot newest first, then puts live fills on top, marked as arrived', () => {
    const tape = new FillTape(100);
    tape.apply(snapshot([fill('a', 1), fill('c', 3), fill('b', 2)]), 1000);
    expect(ids(tape)).toEqual(['e1:c', 'e1:b', 'e1:a']);
    expect(tape.rows.every((r) => r.arrivedAt === undefined)).toBe(true);
    const v = tape.version;
    tape.apply(update([fill('d', 4), fill('e', 5)]), 2000);
    expect(ids(tape)).toEqual(['e1:e', 'e1:d', 'e1:c', 'e1:b', 'e1:a']);
    expect(tape.rows[0].arrivedAt).toBe(2000);
    expect(tape.version).toBeGreaterThan(v);
  });

  it('places a late fill by its time, keeps one row per (engine, fill_id), and the same id of two engines twice', () => {
    const tape = new FillTape(100);
    tape.apply(snapshot([fill('a', 1), fill('c', 3)]), 0);
    tape.apply(update([fill('b', 2), fill('c', 3), fill('a', 1, { engine: 'e2' })]), 0);
    expect(ids(tape)).toEqual(['e1:c', 'e1:b', 'e2:a', 'e1:a']); // the same time: the one received later first
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const tape = new FillTape(3);
    tape.apply(snapshot([fill('a', 1), fill('b', 2), fill('c', 3), fill('d', 4)]), 0);
    expect(ids(tape)).toEqual(['e1:d', 'e1:c', 'e1:b']);
    tape.apply(update([fill('e', 5)]), 0);
    expect(ids(tape)).toEqual(['e1:e', 'e1:d', 'e1:c']);
    tape.setLimit(1);
    expect(ids(tape)).toEqual(['e1:e']);
  });

  it('a fresh snapshot replaces the tape', () => {
    const tape = new FillTape(10);
    tape.apply(snapshot([fill('a', 1)]), 0);
    tape.apply(snapshot([fill('z', 9)]), 0);
    expect(ids(tape)).toEqual(['e1:z']);
  });
});

describe('formatPnl and pnlTone', () => {
  it('signs the PnL and colors it by its sign', () => {
    expect(formatPnl(12.345)).toBe('+12.35');
    expect(formatPnl(-1234.5)).toBe('−1,234.50');
    expect(formatPnl(0.001)).toBe('0.00');
    expect(pnlTone(3)).toBe('profit');
    expect(pnlTone(-0.2)).toBe('loss');
    expect(pnlTone(0.001)).toBe('flat');
  });
});
