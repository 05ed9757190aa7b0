// @ts-check
// The status page as a static file for STATUS_EXPORT_DIR, which any static host on another
// origin can serve while the portal itself is down: no scripts (nothing there could run them
// under our policy, and the page reads fully without), the stylesheets inlined (the portal's
// own may be unreachable), every link absolute to APP_URL but the feed, which sits beside it,
// and the subscribe form (a server action, refused from another origin) turned into a link.
// Our own markup, rendered by our own page: matched by pattern, not parsed.

/** @param {string} value */
function escapeHtml(value) {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** @param {Date} date */
function utc(date) {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * @param {{ html: string; css: Map<string, string>; appUrl: string; takenAt: Date }} input
 * @returns {{ html: string }}
 */
export function exportStatusPage({ html, css, appUrl, takenAt }) {
  const origin = new URL(appUrl).origin;
  const live = `${origin}/status`;
  let page = html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<link\b[^>]*\brel="(?:preload|modulepreload)"[^>]*>/gi, '')
    .replace(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*>/gi, (_tag, href) => {
      const sheet = css.get(href);
      // A stylesheet cannot close its own element early: "</style" is all it takes.
      return sheet === undefined ? '' : `<style>${sheet.replace(/<\/style/gi, '<\\/style')}</style>`;
    })
    .replace(/<form\b[\s\S]*?<\/form\s*>/gi, `<p><a href="${escapeHtml(live)}#subscribe">Subscribe to e-mail alerts on the live status page</a>.</p>`)
    .replace(/\s(?:nonce|integrity|crossorigin)="[^"]*"/gi, '')
    .replace(/\b(href)="\/status\/feed\.atom"/g, '$1="feed.atom"')
    .replace(/\b(href|src|action)="\/(?!\/)/g, `$1="${origin}/`);
  const taken = takenAt.toISOString();
  page = page.replace(/<head>/i, `<head><meta name="portal-snapshot-taken" content="${taken}">`);
  page = page.replace(
    /(<main\b[^>]*>)/i,
    `$1<p class="notice">A copy of the CareNotes status page, taken <time datetime="${taken}">${utc(takenAt)}</time>. The live page is at <a href="${escapeHtml(live)}">${escapeHtml(live)}</a>.</p>`,
  );
  return { html: page };
}
