/**
 * What clients may hold of the exporter's sockets, so that slow or idle sockets cannot take
 * the descriptors that /healthz, /metrics, ingest and the feed need:
 * - per address, the sockets that have not upgraded to the feed (a few addresses cannot
 *   fill the table);
 * - in all, the sockets the descriptor limit leaves room for (many addresses cannot
 *   either). At that bound a new socket takes the place of the oldest one that is doing
 *   nothing (no request in flight, not a feed client): a client that sends its request at
 *   once is served, one that holds a socket idle loses it first. With nothing idle to
 *   give up, the new socket is closed at once.
 */
import type { Socket } from 'node:net';
import { OldestKey } from './state/common/oldest-key';

interface Held {
  socket: Socket;
  address: string;
  /** Counted against its address (until it closes or upgrades). */
  perAddress: boolean;
  /** Counted in the total (until it closes or is evicted). */
  open: boolean;
  requests: number;
  upgraded: boolean;
}

export interface SocketGuardEvents {
  /** An address reached its own limit (said once until it holds fewer). */
  onAddressLimit?: (address: string) => void;
  /** The total bound was reached (said once until the total falls back below 90 % of it). */
  onFull?: (maxSockets: number) => void;
}

export class SocketGuard {
  private readonly perAddress = new Map<string, number>();
  private readonly byPeer = new Map<string, Held>();
  private readonly warned = new Set<string>();
  /** Open sockets with no request in flight and not upgraded, oldest first. */
  private readonly idle = new Set<Held>();
  private readonly oldestIdle = new OldestKey<Held>();
  private total = 0;
  private full = false;
  /** Sockets closed to make room for newer ones, and new ones refused for lack of room. */
  readonly counts = { evicted: 0, refused: 0 };

  constructor(
    private readonly limit: number,
    private readonly events: SocketGuardEvents = {},
    /** Sockets held at most in all; Infinity where the descriptor limit is unknown. */
    private readonly maxSockets = Infinity,
  ) {}

  /** On a new connection: false when it may not stay (the caller closes it). */
  admit(socket: Socket): boolean {
    const address = socket.remoteAddress;
    if (address === undefined) return true; // already gone: nothing to count
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.limit) {
      if (!this.warned.has(address)) {
        this.warned.add(address);
        this.events.onAddressLimit?.(address);
      }
      return false;
    }
    if (this.total >= this.maxSockets && !this.makeRoom()) {
      this.counts.refused += 1;
      return false;
    }
    this.perAddress.set(address, held + 1);
    const entry: Held = { socket, address, perAddress: true, open: true, requests: 0, upgraded: false };
    this.total += 1;
    this.idle.add(entry);
    const key = `${address}|${socket.remotePort}`;
    this.byPeer.set(key, entry);
    socket.once('close', () => this.release(entry, key));
    return true;
  }

  /** A request began on the socket (the TLS socket shares its peer with the TCP one). */
  requestStarted(socket: { remoteAddress?: string; remotePort?: number }): void {
    const entry = this.byPeer.get(`${socket.remoteAddress}|${socket.remotePort}`);
    if (!entry) return;
    entry.requests += 1;
    this.idle.delete(entry);
  }

  /** A response finished or was abandoned: with none left in flight, the socket is idle again. */
  requestEnded(socket: { remoteAddress?: string; remotePort?: number }): void {
    const entry = this.byPeer.get(`${socket.remoteAddress}|${socket.remotePort}`);
    if (!entry) return;
    entry.requests = Math.max(0, entry.requests - 1);
    if (entry.requests === 0 && entry.open && !entry.upgraded) this.idle.add(entry);
  }

  /** A socket that upgraded (to the feed) no longer counts against its address and is never evicted. */
  upgraded(socket: { remoteAddress?: string; remotePort?: number }): void {
    const entry = this.byPeer.get(`${socket.remoteAddress}|${socket.remotePort}`);
    if (!entry) return;
    entry.upgraded = true;
    this.idle.delete(entry);
    this.releaseAddress(entry);
  }

  held(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /** Sockets held in all. */
  get size(): number {
    return this.total;
  }

  /** Closes the oldest idle socket; false when there is none. */
  private makeRoom(): boolean {
    if (!this.full) {
      this.full = true;
      this.events.onFull?.(this.maxSockets);
    }
    const oldest = this.oldestIdle.take(this.idle, () => this.idle.values());
    if (oldest === undefined) return false;
    this.counts.evicted += 1;
    // Counted out now: its 'close' comes on a later tick, after the new socket is admitted.
    this.closeCount(oldest);
    this.releaseAddress(oldest);
    oldest.socket.destroy();
    return true;
  }

  private release(entry: Held, key: string): void {
    if (this.byPeer.get(key) === entry) this.byPeer.delete(key);
    this.closeCount(entry);
    this.releaseAddress(entry);
    // Not in makeRoom: there the total is back at the bound as soon as the new socket is in.
    if (this.full && this.total < this.maxSockets * 0.9) this.full = false;
  }

  private closeCount(entry: Held): void {
    this.idle.delete(entry);
    if (!entry.open) return;
    entry.open = false;
    this.total -= 1;
  }

  private releaseAddress(entry: Held): void {
    if (!entry.perAddress) return;
    entry.perAddress = false;
    const held = (this.perAddress.get(entry.address) ?? 1) - 1;
    if (held > 0) this.perAddress.set(entry.address, held);
    else {
      this.perAddress.delete(entry.address);
      this.warned.delete(entry.address);
    }
  }
}
