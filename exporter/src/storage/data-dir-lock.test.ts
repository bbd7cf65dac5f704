/**
 * The data-dir lock after a reboot (issue 25, item 14): a stale lock whose pid now belongs to
 * an unrelated live process refused every start until someone deleted the file. The lock
 * records the boot id and the holder's start time; a live pid that differs in either is not
 * the holder, and the lock is taken over with a reason for the log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import {
  bootId,
  DataDirLockedError,
  LOCK_FILE,
  lockDataDir,
  processStart,
  type Takeover,
} from './data-dir-lock';

let other: ChildProcess;
beforeAll(() => {
  // An unrelated process that is alive while the tests run (the pid a reboot handed out again).
  other = spawn('sleep', ['60'], { stdio: 'ignore' });
});
afterAll(() => {
  other.kill('SIGKILL');
});

function dirWithLock(holder: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-lock-'));
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(holder) + '\n');
  return dir;
}

const pid = () => other.pid as number;

it('records the boot id and its own start time in the lock', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-lock-'));
  const lock = lockDataDir(dir);
  const written = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>;
  expect(written).toMatchObject({ pid: process.pid, boot: bootId(), pidStart: processStart(process.pid) });
  expect(written.boot).toMatch(/^[0-9a-f-]{36}$/);
  lock.release();
});

it('takes over a lock taken before a reboot whose pid is now an unrelated live process', () => {
  const dir = dirWithLock({
    pid: pid(),
    host: hostname(),
    started: '2026-12-01T00:00:00Z',
    boot: '00000000-0000-4000-8000-000000000000',
    pidStart: '12345',
  });
  const taken: Takeover[] = [];
  const lock = lockDataDir(dir, (t) => taken.push(t));
  expect(taken).toEqual([
    {
      holder: expect.objectContaining({ pid: pid() }),
      why: expect.stringMatching(/before the machine restarted/),
    },
  ]);
  expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
  lock.release();
});

it('takes over a lock of this boot whose pid was reused by a process started later', () => {
  const dir = dirWithLock({ pid: pid(), host: hostname(), started: 'x', boot: bootId(), pidStart: '1' });
  const taken: Takeover[] = [];
  lockDataDir(dir, (t) => taken.push(t)).release();
  expect(taken.map((t) => t.why)).toEqual([expect.stringMatching(/is now another process/)]);
});

it('refuses while the recorded holder itself runs, and for an older lock naming a live pid', () => {
  const live = { pid: pid(), host: hostname(), started: 'x', boot: bootId(), pidStart: processStart(pid()) };
  expect(() => lockDataDir(dirWithLock(live))).toThrow(DataDirLockedError);
  expect(() => lockDataDir(dirWithLock({ pid: pid(), host: hostname(), started: 'x' }))).toThrow(
    /is in use by another tradewatch exporter \(pid \d+/,
  );
});
