// @ts-check
import { fileURLToPath } from 'node:url';

import { SECRET_LINK_HEADERS, SECURITY_HEADERS } from './lib/security/headers.mjs';

/** @param {Readonly<Record<string, string>>} headers */
const asList = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));
const securityHeaders = asList(SECURITY_HEADERS);
const secretLinkHeaders = asList(SECRET_LINK_HEADERS);

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The container image (Dockerfile) serves .next/standalone; everything else keeps the ordinary
  // layout, so `npm start` and the tests do not pay for the tracing and copying.
  ...(process.env.NEXT_OUTPUT === 'standalone' && { output: 'standalone' }),
  // Next.js's file-system cache, storing with each prerendered page the script hashes of its
  // Content-Security-Policy (per-request pages get a nonce in proxy.ts).
  cacheHandler: fileURLToPath(new URL('./lib/security/prerendered-page-cache.mjs', import.meta.url)),
  reactStrictMode: true,
  // The portal shows no images through Next.js's optimizer, whose endpoint (/_next/image?url=…)
  // would otherwise render any of its own pages on the server, outside proxy.ts.
  images: { unoptimized: true },
  // server.mjs and the app's code must count into one metrics registry (lib/observability/metrics.mjs):
  // loaded from node_modules like pino, not bundled.
  serverExternalPackages: ['prom-client'],
  // A form posted without JavaScript from a page that sends no referrer (the secret-link pages
  // below) carries `Origin: null`, which Next.js's own check aborts with a 500. proxy.ts is the
  // gate that decides (lib/http/same-origin.ts): a null origin passes only when the browser marks
  // the request same-origin, as it never marks a sandboxed frame's or another site's.
  experimental: { serverActions: { allowedOrigins: ['null'] } },
  async headers() {
    // Later entries override earlier ones for the same header.
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/reset/:token', headers: secretLinkHeaders },
      { source: '/super-admin-reset/cancel/:token', headers: secretLinkHeaders },
    ];
  },
};

export default nextConfig;
