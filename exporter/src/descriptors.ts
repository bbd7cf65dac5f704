/**
 * How many sockets the exporter may hold: the process's descriptor limit (`ulimit -n`),
 * less those open at start and a reserve for what opens files later (journal segments,
 * snapshots, the history store, TLS files, log output). Node has no getrlimit, so the
 * limit is read from /proc/self/limits; elsewhere nothing is capped beyond the
 * per-address limit.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept for files at the least, and as a share of the limit. */
export const DESCRIPTOR_RESERVE = { atLeast: 64, share: 1 / 8 } as const;
/** Below this many sockets the exporter could not serve an operator and its engines. */
export const MIN_SOCKETS = 32;

/** The soft "Max open files" limit in /proc/<pid>/limits text; undefined when unlimited or absent. */
export function parseOpenFilesLimit(limits: string): number | undefined {
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined || !/^\d+$/.test(soft)) return undefined;
  return Number(soft);
}

export interface SocketBudget {
  /** The descriptor limit as read at start. */
  limit: number;
  /** Descriptors open when it was read. */
  open: number;
  /** Sockets the server may hold at once (requests, idle keep-alive and feed clients alike). */
  maxSockets: number;
}

/** The socket budget from a limit and the descriptors already open; undefined when the limit leaves no room. */
export function socketBudget(limit: number, open: number): SocketBudget | undefined {
  const reserve = Math.max(DESCRIPTOR_RESERVE.atLeast, Math.floor(limit * DESCRIPTOR_RESERVE.share));
  const maxSockets = limit - open - reserve;
  return maxSockets >= MIN_SOCKETS ? { limit, open, maxSockets } : undefined;
}

/** This process's limit and open descriptors, from /proc; undefined where /proc is not there. */
export function readDescriptors(): { limit: number; open: number } | undefined {
  try {
    const limit = parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
    if (limit === undefined) return undefined;
    return { limit, open: readdirSync('/proc/self/fd').length };
  } catch {
    return undefined;
  }
}
