// One access line and one duration sample per request, written once its answer is sent (or the
// client went away first), whichever way server.mjs answered it.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { redactPath } from '../http/redact-path.mjs';
import { whenGone } from '../runtime/when-gone.mjs';
import { accessLogger } from './logger.mjs';
import { observeRequestDuration } from './metrics.mjs';
import { createRouteLabeler } from './route-label.mjs';

const routeLabel = createRouteLabeler(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.next/routes-manifest.json'));

/**
 * Watches one request to its end. `requestId` and `clientIp` are the ones server.mjs stamped for
 * the app (and audit records) to read, so a line leads to the records and the other way round.
 * `internal`: the instance's own fetch of a page it keeps in memory (lib/runtime/pages-in-memory.mjs,
 * twice a second per instance): marked, left out of the request metrics, and written at debug level
 * unless it failed, so the access lines and request rates are the clients' own.
 */
export function observeRequest(request, response, { requestId, clientIp, internal = false }) {
  const started = performance.now();
  whenGone(response, request.socket, () => {
    const seconds = (performance.now() - started) / 1000;
    const target = request.url ?? '/';
    const route = routeLabel(target);
    if (!internal) observeRequestDuration(request.method ?? 'OTHER', route, response.statusCode, seconds);
    const failed = response.statusCode >= 500 || !response.writableFinished;
    accessLogger[internal && !failed ? 'debug' : 'info']({
      event: 'http.request',
      requestId,
      method: request.method,
      path: redactPath(target),
      route,
      status: response.statusCode,
      durationMs: Math.round(seconds * 10_000) / 10,
      clientIp,
      // The client went away before the whole answer was sent.
      ...(!response.writableFinished && { aborted: true }),
      ...(internal && { internal: true }),
    });
  });
}
