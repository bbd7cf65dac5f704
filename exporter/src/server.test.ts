import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { SocketGuard } from './server';

let port = 40_000;
const socket = (address: string) =>
  Object.assign(new EventEmitter(), { remoteAddress: address, remotePort: port++ }) as unknown as Socket;

test('each address holds at most the limit of sockets that have not upgraded; closing or upgrading frees one', () => {
  const limited: string[] = [];
  const guard = new SocketGuard(2, (a) => limited.push(a));
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
