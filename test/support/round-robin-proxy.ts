// A load balancer as small as it gets (the Host header goes on unchanged, as the app checks forms against it): each request goes to the next upstream in turn; an upstream
// that refuses the connection (stopped) is skipped for the next one. Records which upstream answered.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RoundRobinProxy = {
  url: string;
  /** Upstream index (into the list given) per answered request, in order of arrival. */
  served: { method: string; path: string; upstream: number; status: number }[];
  stop(): Promise<void>;
};

/**
 * `pick` may name the upstream of a request (a test making a form come from one instance and its
 * post go to the other); otherwise requests take turns.
 */
export async function startRoundRobinProxy(upstreams: string[], pick: (method: string, path: string) => number | undefined = () => undefined): Promise<RoundRobinProxy> {
  let next = 0;
  const served: RoundRobinProxy['served'] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const body: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => body.push(chunk));
    incoming.on('end', () => {
      const attempt = (tries: number, index = pick(incoming.method ?? 'GET', incoming.url ?? '/') ?? next++ % upstreams.length) => {
        const target = new URL(incoming.url ?? '/', upstreams[index]);
        const forwarded = httpRequest(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
          served.push({ method: incoming.method ?? 'GET', path: incoming.url ?? '/', upstream: index, status: answer.statusCode ?? 0 });
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
        forwarded.on('error', (error: NodeJS.ErrnoException) => {
          // Connection refused, or a kept-alive socket the stopping instance closed before any answer:
          // the app never took this request, so the next upstream gets it (as a real balancer does).
          if (!outgoing.headersSent && tries < upstreams.length && ['ECONNREFUSED', 'ECONNRESET'].includes(error.code ?? '')) return attempt(tries + 1, (index + 1) % upstreams.length);
          if (!outgoing.headersSent) outgoing.writeHead(502).end();
          else outgoing.destroy();
        });
        forwarded.end(Buffer.concat(body));
      };
      attempt(1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
