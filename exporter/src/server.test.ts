import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { SocketGuard } from './socket-guard';
import { parseOpenFilesLimit, socketBudget } from './descriptors';

let port = 40_000;
const socket = (address: string) => {
  const emitter = new EventEmitter();
  const s = Object.assign(emitter, {
    remoteAddress: address,
    remotePort: port++,
    destroyed: false,
    destroy: () => {
      s.destroyed = true;
      process.nextTick(() => emitter.emit('close'));
    },
  });
  return s as unknown as Socket;
};

test('each address holds at most the limit of sockets that have not upgraded; closing or upgrading frees one', () => {
  const limited: string[] = [];
  const guard = new SocketGuard(2, { onAddressLimit: (a) => limited.push(a) });
  const [a1, a2, a3] = [socket('10.0.0.1'), socket('10.0.0.1'), socket('10.0.0.1')];
  expect(guard.admit(a1)).toBe(true);
  expect(guard.admit(a2)).toBe(true);
  expect(guard.admit(a3)).toBe(false);
  expect(guard.admit(socket('10.0.0.1'))).toBe(false);
  expect(limited).toEqual(['10.0.0.1']); // said once, not per refused socket
  expect(guard.admit(socket('10.0.0.2'))).toBe(true); // another address is not affected

  a1.emit('close');
  expect(guard.held('10.0.0.1')).toBe(1);
  guard.upgraded(a2); // a feed client now: counted by the feed, not here
  expect(guard.held('10.0.0.1')).toBe(0);
  a2.emit('close'); // its later close does not count twice
  a1.emit('close');
  expect(guard.held('10.0.0.1')).toBe(0);
  expect(guard.admit(socket('10.0.0.1'))).toBe(true);
});

test('at the total bound a new socket takes the place of the oldest idle one; with none idle it is refused', () => {
  const full: number[] = [];
  const guard = new SocketGuard(10, { onFull: (n) => full.push(n) }, 3);
  const [a, b, c] = [socket('10.0.0.1'), socket('10.0.0.2'), socket('10.0.0.3')];
  for (const s of [a, b, c]) expect(guard.admit(s)).toBe(true);
  guard.requestStarted(a); // a is busy: b is now the oldest idle one
  const d = socket('10.0.0.4');
  expect(guard.admit(d)).toBe(true);
  expect([a.destroyed, b.destroyed, c.destroyed]).toEqual([false, true, false]);
  expect(guard.size).toBe(3);
  expect(full).toEqual([3]);
  guard.upgraded(c); // a feed client is never closed to make room
  guard.requestStarted(d);
  expect(guard.admit(socket('10.0.0.5'))).toBe(false); // a busy, c a feed client, d busy
  expect(guard.counts).toEqual({ evicted: 1, refused: 1 });
  guard.requestEnded(a); // idle again: it goes first
  expect(guard.admit(socket('10.0.0.6'))).toBe(true);
  expect(a.destroyed).toBe(true);
  expect(guard.held('10.0.0.1')).toBe(0);
  expect(full).toEqual([3]); // said once while full
});

test('the descriptor limit is read from /proc/self/limits and leaves a reserve for files', () => {
  const limits = [
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max cpu time              unlimited            unlimited            seconds   ',
    'Max open files            1024                 524288               files     ',
  ].join('\n');
  expect(parseOpenFilesLimit(limits)).toBe(1024);
  expect(parseOpenFilesLimit(limits.replace('1024 ', 'unlimited '))).toBeUndefined();
  expect(socketBudget(1024, 30)).toEqual({ limit: 1024, open: 30, maxSockets: 1024 - 30 - 128 });
  expect(socketBudget(100, 20)).toBeUndefined(); // 100 - 20 - 64 leaves 16, under 32
});
