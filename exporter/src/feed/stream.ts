/**
 * One streamed feed response (GET /feed/stream): the hub's frames as NDJSON, one message a
 * line, for clients whose path refuses WebSocket upgrades (a proxy that does not pass them).
 * It is a Peer of the same hub as a WebSocket connection, under the same slow-client rules:
 * what the response has not written counts as its unsent bytes.
 */
import type { ServerResponse } from 'node:http';
import type { StreamCloseMessage } from '@tradewatch/feed-protocol';
import type { Member, Peer } from './hub';

const NEWLINE = Buffer.from('\n');

export class StreamConnection implements Peer {
  readonly kind = 'stream';
  readonly members = new Map<string, Member>();
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    readonly address: string,
    readonly tokenName: string,
    private readonly maxBufferedBytes: number,
    /** Told when the server ends the stream (the WebSocket's close code and reason). */
    private readonly onServerClose: (code: number, reason: string) => void = () => undefined,
  ) {}

  get open(): boolean {
    return !this.ended && !this.res.destroyed;
  }

  /** The per-client memory cap, at every send (as on a WebSocket; close code 4002). */
  send(frame: Buffer | string): void {
    if (!this.open) return;
    const pending = this.res.writableLength;
    const size = Buffer.byteLength(frame) + 1;
    if (pending > 0 && pending + size > this.maxBufferedBytes) {
      this.close(4002, 'too slow: the client stopped reading');
      return;
    }
    this.res.write(frame);
    this.res.write(NEWLINE);
  }

  get bufferedAmount(): number {
    return this.res.writableLength;
  }

  /**
   * Ends the stream with a last line that says why (the close codes of the WebSocket). A
   * client that does not read never lets that line out: it is cut off after a grace.
   */
  close(code: number, reason: string): void {
    if (!this.open) return;
    this.ended = true;
    this.onServerClose(code, reason);
    this.res.end(JSON.stringify({ type: 'close', code, reason } satisfies StreamCloseMessage) + '\n');
    setTimeout(() => this.res.destroy(), 5000).unref();
  }
}
