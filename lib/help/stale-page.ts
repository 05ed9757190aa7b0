/** The status tables' change counter (GET /api/status/version): one primary-key read. */
export const STATUS_VERSION_PATH = '/api/status/version';
/** How often an open guide asks whether the status moved on. */
export const STALE_CHECK_SECONDS = 10;

/**
 * The one-click fix for a stale page: fetch it again past every cache (cache: 'reload' also
 * replaces the browser's stored copy), then reload, which now shows the fresh copy. A plain reload
 * alone may revalidate against a cache on the way and show the same old page.
 */
export async function reloadBypassingCache(): Promise<void> {
  try {
    await fetch(window.location.href, { cache: 'reload', credentials: 'same-origin' });
  } catch {
    // Offline: reload anyway, the browser then says so itself.
  }
  window.location.reload();
}
