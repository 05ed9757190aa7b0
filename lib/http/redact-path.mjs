// Paths that carry a secret (single-use links) and query values that do: never logged as they are.
// Matched on the decoded path, in any case and with any run of slashes (backslashes too, which
// Next.js reads as slashes), so `/%72eset/<token>`, `//reset/<token>`, `/RESET/<token>` or
// `/reset\<token>` cannot carry a token into a log line either.
// Everything after such a prefix is redacted, not its first segment only: `/reset/<token>/<token>`
// is no link of ours, but a client may send it, and the second copy reached the log.
const SECRET_SEGMENTS = /^([/\\]+(?:reset|super-admin-reset[/\\]+cancel))[/\\]+[^/\\][\s\S]*$/i;
// `reference` leads to a super-admin request's state: a lookup secret as much as a token; so does a
// done notice that names a request just filed or cancelled (`done=submitted-<reference>…`), and every
// done notice is read alike. `key` opens the demo's local mailbox (lib/mail/mailbox-key.mjs).
const SECRET_QUERY_KEYS = new Set(['t', 'token', 'reference', 'done', 'key']);

/**
 * The text with its percent escapes decoded. One malformed escape (`%`, `%E0`) makes
 * decodeURIComponent refuse the whole text, which left `/%72eset/<token>%` unmatched and logged in
 * clear: then each run of escapes is decoded on its own, and within a run that is no UTF-8 each
 * ASCII escape still is.
 */
function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run.replace(/%[0-7][0-9a-f]/gi, (ascii) => String.fromCharCode(parseInt(ascii.slice(1), 16)));
      }
    });
  }
}

// Our secrets (link tokens: 32 random bytes; signed status links: an HMAC-SHA256) are words of 43
// base64url characters. Any such word left in a line after the rules above, under a name or in a
// path no rule knows (`?t%=<token>`), is a secret's shape and goes too: no page of ours has one.
const SECRET_SHAPED = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const HAS_SECRET_SHAPE = new RegExp(SECRET_SHAPED.source);

/** `GET http://host/reset/<token>` (absolute form) names the same page as `GET /reset/<token>`. */
function originForm(target) {
  if (target.startsWith('/')) return target;
  try {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  } catch {
    return target;
  }
}

/** Whether a query parameter's name (as sent) is one whose value is a secret. */
function isSecretKey(key) {
  return SECRET_QUERY_KEYS.has(decoded(key.replace(/\+/g, ' ')).trim().toLowerCase());
}

/**
 * Whether a request's target carries a secret, however it is written: a single-use link's path, or a
 * query naming a token or a reference (`/status/subscribe/confirm?…&t=`). Its answers, redirects
 * included, are kept by no cache and sent to no other site as a Referer.
 */
export function carriesSecret(target) {
  const path = originForm(target);
  const queryAt = path.indexOf('?');
  if (SECRET_SEGMENTS.test(decoded(queryAt === -1 ? path : path.slice(0, queryAt)))) return true;
  return queryAt !== -1 && path.slice(queryAt + 1).split('&').some((pair) => pair.includes('=') && isSecretKey(pair.slice(0, pair.indexOf('='))));
}

/** Longer than any path of the portal; past it a path is the client's own text, which fills the log. */
const MAX_LOGGED_PATH = 512;

/** A request path fit for a log line: link tokens replaced with a placeholder, and cut short. */
export function redactPath(target) {
  const safe = redacted(target);
  return safe.length > MAX_LOGGED_PATH ? `${safe.slice(0, MAX_LOGGED_PATH)}…[${safe.length - MAX_LOGGED_PATH} more characters]` : safe;
}

function redacted(target) {
  const byRule = redactedByRule(target).replace(SECRET_SHAPED, '[redacted]');
  if (!HAS_SECRET_SHAPE.test(decoded(byRule))) return byRule;
  // A secret's shape behind escapes ("%4B" for "K", review r25d): nothing past the first segment is logged.
  return `${/^[/\\]*[^/\\?]*/.exec(byRule)[0]}/[redacted]`;
}

function redactedByRule(target) {
  const path = originForm(target);
  const queryAt = path.indexOf('?');
  const pathname = queryAt === -1 ? path : path.slice(0, queryAt);
  const query = queryAt === -1 ? null : path.slice(queryAt + 1);
  const plainPath = decoded(pathname);
  const safePath = SECRET_SEGMENTS.test(plainPath) ? plainPath.replace(SECRET_SEGMENTS, '$1/[redacted]') : pathname;
  if (query === null) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && isSecretKey(key) ? `${key}=[redacted]` : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}
