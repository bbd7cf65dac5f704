import { dateTimeFormat } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';

const numberFormats = new Map<number, Intl.NumberFormat>();

function numberFormat(maxDigits: number): Intl.NumberFormat {
  let f = numberFormats.get(maxDigits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { maximumFractionDigits: maxDigits, minimumFractionDigits: 0 });
    numberFormats.set(maxDigits, f);
  }
  return f;
}

/** A quantity or price: up to 8 decimals for small numbers, fewer for large ones. */
export function formatNumber(value: number | undefined | null): string {
  if (value === undefined || value === null || Number.isNaN(value)) {
    return '—';
  }
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 8;
  return numberFormat(digits).format(value);
}

/** A notional in the header: compact (12.3k, 4.56M). */
export function formatNotional(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) {
    return `${(value / 1e9).toFixed(2)}B`;
  }
  if (abs >= 1e6) {
    return `${(value / 1e6).toFixed(2)}M`;
  }
  if (abs >= 1e4) {
    return `${(value / 1e3).toFixed(1)}k`;
  }
  return numberFormat(abs >= 1000 ? 0 : 2).format(value);
}

/** Elapsed time as 42s, 3m 05s, 2h 07m, 3d 04h. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) {
    return `${s}s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  }
  const h = Math.floor(m / 60);
  if (h < 24) {
    return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  }
  const d = Math.floor(h / 24);
  return `${d}d ${String(h % 24).padStart(2, '0')}h`;
}

/**
 * Wall-clock time HH:mm:ss in a Grafana time zone (the dashboard's, from PanelProps: 'browser',
 * 'utc' or an IANA name), with the date in front when it is not the same day there as `now`.
 * Formatted by @grafana/data, as Grafana formats its own times.
 */
export function formatTime(
  ms: number,
  { now = Date.now(), timeZone = 'browser' }: { now?: number; timeZone?: TimeZone } = {}
): string {
  if (!ms) {
    return '—';
  }
  const day = dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD' });
  const time = dateTimeFormat(ms, { timeZone, format: 'HH:mm:ss' });
  return day === dateTimeFormat(now, { timeZone, format: 'YYYY-MM-DD' }) ? time : `${day} ${time}`;
}

export const STATUS_LABELS: Record<string, string> = {
  new: 'New',
  partially_filled: 'Partially filled',
  filled: 'Filled',
  canceled: 'Canceled',
  rejected: 'Rejected',
  expired: 'Expired',
};

export const TYPE_LABELS: Record<string, string> = {
  limit: 'Limit',
  market: 'Market',
  stop: 'Stop',
  stop_limit: 'Stop limit',
};
