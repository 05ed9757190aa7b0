// Prometheus scrapes this process on a port of its own (METRICS_PORT), never the app's: the app's
// port faces the public, and the figures (sign-in failures, queue depths) are for operators only.
import { createServer } from 'node:http';
import { errorFields, logger } from './logger.mjs';
import { metricsText } from './metrics.mjs';

/** The metrics listener's settings from the environment; null when METRICS_PORT is unset (off). */
export function metricsSettings(env = process.env, appPort = Number(env.PORT ?? 3000)) {
  const raw = env.METRICS_PORT?.trim();
  if (!raw) return null;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new Error(`METRICS_PORT must be a port number from 1 to 65535, not "${raw}"`);
  if (port === appPort) throw new Error(`METRICS_PORT must differ from PORT (${appPort}): metrics are never served on the app's port`);
  return { port, host: env.METRICS_HOST?.trim() || '127.0.0.1' };
}

/** Serves GET /metrics when METRICS_PORT is set; answers nothing else. */
export function startMetricsServer(appPort) {
  let settings;
  try {
    settings = metricsSettings(process.env, appPort);
  } catch (error) {
    // Exit explicitly: Next.js's handler of uncaught exceptions only logs them, and the process
    // would then end with 0, as if all were well.
    logger.fatal({ event: 'metrics.settings_invalid', message: error.message });
    process.exit(1);
  }
  if (!settings) return null;
  const server = createServer(async (request, response) => {
    const pathname = (request.url ?? '/').split('?')[0];
    if (pathname !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: GET /metrics\n');
      return;
    }
    try {
      const { contentType, text } = await metricsText();
      response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text);
    } catch (error) {
      logger.error({ event: 'metrics.scrape_failed', ...errorFields(error) });
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected\n');
    }
  });
  server.on('error', (error) => {
    // A metrics port that cannot be had is a deployment mistake: stop, naming it, rather than run unobserved.
    logger.fatal({ event: 'metrics.listen_failed', host: settings.host, port: settings.port, ...errorFields(error) });
    process.exit(1);
  });
  server.listen(settings.port, settings.host, () => {
    logger.info({ event: 'metrics.listening', url: `http://${settings.host}:${settings.port}/metrics` });
  });
  // Never what keeps a stopping process alive.
  server.unref();
  return server;
}
