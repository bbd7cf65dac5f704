import { rowKey, type ChannelView, type FillRow } from '@tradewatch/feed-client';

import type { TapeRow } from '../types';

const parseTs = (fill: FillRow): number => {
  const ms = Date.parse(fill.ts);
  return Number.isNaN(ms) ? 0 : ms;
};

/** Newest first; for the same time, the one received later first. */
const newestFirst = (a: TapeRow, b: TapeRow): number => b.tsMs - a.tsMs;

/**
 * The fills tape: the newest `limit` fills, newest first, each once (by its identity, engine
 * included). A snapshot replaces it; an update merges its fills in by time (linear: the tape
 * is already in order and updates are short). Mutable, with a version that changes on
 * every change, as OrderStore.
 */
export class FillTape {
  private list: TapeRow[] = [];
  private keys = new Set<string>();
  version = 0;

  constructor(private limit: number) {}

  get rows(): readonly TapeRow[] {
    return this.list;
  }

  apply(view: ChannelView<FillRow>, now: number): void {
    if (view.fromSnapshot) {
      const rows: TapeRow[] = [];
      for (const [key, fill] of view.rows) {
        rows.push({ key, fill, tsMs: parseTs(fill) });
      }
      rows.sort(newestFirst);
      this.list = rows.slice(0, this.limit);
      this.keys = new Set(this.list.map((r) => r.key));
      this.version++;
      return;
    }
    const fresh: TapeRow[] = [];
    for (const fill of view.upserts) {
      const row: TapeRow = {
        key: rowKey('fills', fill),
        fill,
        tsMs: parseTs(fill),
        arrivedAt: now,
      };
      if (this.keys.has(row.key)) {
        // a fill repeated (the update after a snapshot may repeat it): keep the one we have
        continue;
      }
      fresh.push(row);
    }
    if (fresh.length === 0) {
      return;
    }
    fresh.reverse(); // received later first among equal times
    fresh.sort(newestFirst);
    const merged: TapeRow[] = [];
    let i = 0;
    let j = 0;
    while (merged.length < this.limit && (i < fresh.length || j < this.list.length)) {
      const a = fresh[i];
      const b = this.list[j];
      if (a && (!b || a.tsMs >= b.tsMs)) {
        merged.push(a);
        i++;
      } else if (b) {
        merged.push(b);
        j++;
      }
    }
    this.list = merged;
    this.keys = new Set(merged.map((r) => r.key));
    this.version++;
  }

  clear(): void {
    this.list = [];
    this.keys.clear();
    this.version++;
  }

  setLimit(limit: number): void {
    this.limit = limit;
    if (this.list.length > limit) {
      this.list = this.list.slice(0, limit);
      this.keys = new Set(this.list.map((r) => r.key));
      this.version++;
    }
  }
}

/** Realized PnL with its sign (+12.34, −0.56, 0.00); two decimals. */
export function formatPnl(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) {
    return '—';
  }
  const abs = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (abs === '0.00') {
    return '0.00';
  }
  return value > 0 ? `+${abs}` : `−${abs}`;
}

/** 'profit', 'loss' or 'flat' (a PnL that rounds to zero), for the color. */
export function pnlTone(value: number | undefined): 'profit' | 'loss' | 'flat' {
  if (value === undefined || Number.isNaN(value) || Math.abs(value) < 0.005) {
    return 'flat';
  }
  return value > 0 ? 'profit' : 'loss';
}
