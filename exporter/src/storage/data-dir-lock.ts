/**
 * One exporter per data dir (docs/architecture.md, "Durability"): two processes appending to one
 * journal both acknowledge, and after a restart one side's events are gone. The lock is a
 * file created exclusively (O_EXCL) holding the owner's pid, host and start time.
 *
 * A lock left by a process that died (kill -9) is taken over: its holder is on this host
 * and no longer alive (or is this very process: a container restarted as pid 1). The
 * takeover renames the stale file away first, so of two exporters starting at once on a
 * stale lock exactly one wins the exclusive create; the other is refused.
 */
import { hostname } from 'node:os';
import { openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'exporter.lock';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data dir ${dir} is in use by another tradewatch exporter (pid ${holder.pid} on ${holder.host}, started ${holder.started}); stop it, or give this one its own TRADEWATCH_DATA_DIR`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string')
      return { pid: parsed.pid, host: parsed.host, started: String(parsed.started ?? 'unknown') };
  } catch {
    // Unreadable or half written: judged below as a lock without a known holder.
  }
  return null;
}

function isStale(holder: LockHolder | null): boolean {
  if (holder === null) return true;
  if (holder.host !== hostname()) return false; // another host's process cannot be checked: assume alive
  return holder.pid === process.pid || !isAlive(holder.pid);
}

export function lockDataDir(dir: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          const holder = readHolder(file);
          if (holder?.pid === me.pid && holder.started === me.started) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (!isStale(holder)) throw new DataDirLockedError(dir, holder as LockHolder);
    // Move the stale lock aside; only then try the exclusive create again.
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it first: race for the create
    }
    const moved = readHolder(aside);
    if (moved && !isStale(moved)) {
      // A live holder's fresh lock was moved by mistake (it won the race): put it back.
      renameSync(aside, file);
      throw new DataDirLockedError(dir, moved);
    }
    rmSync(aside, { force: true });
  }
  const holder = readHolder(file);
  throw new DataDirLockedError(dir, holder ?? { pid: -1, host: 'unknown', started: 'unknown' });
}
