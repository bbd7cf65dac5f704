/**
 * A JSON answer written on a raw node:http response, as express's res.json wrote it (the
 * same body and Content-Type; no ETag, which means nothing on the answer to a POST).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * An answer given before the whole body has arrived closes the connection once written, so
 * that the rest is never read (node would otherwise read and drop it to keep the socket).
 */
export function closeIfUnread(req: IncomingMessage, res: ServerResponse): void {
  if (!req.complete) res.setHeader('Connection', 'close');
}
