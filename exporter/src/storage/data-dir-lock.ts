/**
 * One exporter per data dir (docs/architecture.md, "Durability"): two processes appending to one
 * journal both acknowledge, and after a restart one side's events are gone. The lock is a
 * file created exclusively (O_EXCL) holding the owner's pid, host and start time.
 *
 * A lock left by a process that died (kill -9) is taken over: its holder is on this host
 * and no longer alive (or is this very process: a container restarted as pid 1). The
 * takeover renames the stale file away first, so of two exporters starting at once on a
 * stale lock exactly one wins the exclusive create; the other is refused.
 *
 * After a reboot (or long enough for pids to wrap) the holder's pid may belong to another,
 * unrelated process: alive, but not the holder. So the lock also records the boot id and the
 * holder's start time as the kernel counts it (/proc/<pid>/stat), and a pid whose boot or
 * start time differs from the recorded ones is not the holder. Where /proc is missing, or in
 * a lock written before these were recorded, a live pid is taken as the holder.
 */
import { hostname } from 'node:os';
import { openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'exporter.lock';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  /** /proc/sys/kernel/random/boot_id when the lock was taken. */
  boot?: string;
  /** The holder's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  pidStart?: string;
}

/** Why a stale lock was taken over (for the log line). */
export interface Takeover {
  holder: LockHolder | null;
  why: string;
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

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** This boot's id; undefined without /proc. */
export function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

/** A process's start time in clock ticks since boot, from /proc/<pid>/stat; undefined if unknown. */
export function processStart(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces: count after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start && /^\d+$/.test(start) ? start : undefined;
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string')
      return {
        pid: parsed.pid,
        host: parsed.host,
        started: String(parsed.started ?? 'unknown'),
        ...(typeof parsed.boot === 'string' ? { boot: parsed.boot } : {}),
        ...(typeof parsed.pidStart === 'string' ? { pidStart: parsed.pidStart } : {}),
      };
  } catch {
    // Unreadable or half written: judged below as a lock without a known holder.
  }
  return null;
}

/** Why the lock is stale, or null when its holder may still be running. */
function staleBecause(holder: LockHolder | null): string | null {
  if (holder === null) return 'the lock file names no holder';
  if (holder.host !== hostname()) return null; // another host's process cannot be checked: assume alive
  if (holder.pid === process.pid) return 'the lock names this very process (a restarted container)';
  if (!isAlive(holder.pid)) return `its holder (pid ${holder.pid}) is not running`;
  const boot = bootId();
  if (holder.boot !== undefined && boot !== undefined && holder.boot !== boot)
    return `it was taken before the machine restarted; pid ${holder.pid} is now another process`;
  const start = processStart(holder.pid);
  if (holder.pidStart !== undefined && start !== undefined && holder.pidStart !== start)
    return `pid ${holder.pid} is now another process (it started after the lock was taken)`;
  return null;
}

export function lockDataDir(dir: string, onTakeover: (t: Takeover) => void = () => undefined): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const boot = bootId();
  const pidStart = processStart(process.pid);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    ...(boot !== undefined ? { boot } : {}),
    ...(pidStart !== undefined ? { pidStart } : {}),
  };
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
    const why = staleBecause(holder);
    if (why === null) throw new DataDirLockedError(dir, holder as LockHolder);
    // Move the stale lock aside; only then try the exclusive create again.
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it first: race for the create
    }
    const moved = readHolder(aside);
    if (moved && staleBecause(moved) === null) {
      // A live holder's fresh lock was moved by mistake (it won the race): put it back.
      renameSync(aside, file);
      throw new DataDirLockedError(dir, moved);
    }
    rmSync(aside, { force: true });
    onTakeover({ holder: moved ?? holder, why });
  }
  const holder = readHolder(file);
  throw new DataDirLockedError(dir, holder ?? { pid: -1, host: 'unknown', started: 'unknown' });
}
