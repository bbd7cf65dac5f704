/** A TCP proxy in front of PostgreSQL that can be taken down (refusing and cutting connections): an outage on demand. */
import net from 'node:net';

export async function pgProxy(
  pgUrl: string,
): Promise<{ url: string; setDown(down: boolean): void; close(): Promise<void> }> {
  const target = new URL(pgUrl);
  let down = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(pgUrl);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    setDown(d) {
      down = d;
      if (d) for (const s of sockets) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
