// Serves the Next.js app and stamps each request with the client address the app may
// trust. Next.js keeps any X-Forwarded-For a client sends, so rate limits and audit
// records would otherwise believe whatever address a client claims.
import { createServer } from 'node:http';
import next from 'next';

const CLIENT_IP_HEADER = 'x-portal-client-ip';
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '0.0.0.0';
const trustedProxyHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
const dev = process.argv.includes('--dev');

function clientIp(request) {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return peer;
  // Each trusted proxy appends the address it saw: count back from the right.
  const hops = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxyHops] ?? peer;
}

const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

createServer((request, response) => {
  request.headers[CLIENT_IP_HEADER] = clientIp(request);
  handle(request, response);
}).listen(port, hostname, () => {
  console.log(`portal: listening on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`);
});
