// Paths that carry a secret (single-use links) and query values that do: never logged as they are.
// Matched on the decoded path, in any case and with any run of slashes (backslashes too, which
// Next.js reads as slashes), so `/%72eset/<token>`, `//reset/<token>`, `/RESET/<token>` or
// `/reset\<token>` cannot carry a token into a log line either.
// Everything after such a prefix is redacted, not its first segment only: `/reset/<token>/<token>`
// is no link of ours, but a client may send it, and the second copy reached the log.
const SECRET_SEGMENTS = /^([/\\]+(?:reset|super-admin-reset[/\\]+cancel))[/\\]+[^/\\][\s\S]*$/i;
// `reference` leads to a super-admin request's state: a lookup secret as much as a token; so does a
// done notice that names a request just filed or cancelled (`done=submitted-<reference>…`), and every
// done notice is read alike.
const SECRET_QUERY_KEYS = new Set(['t', 'token', 'reference', 'done']);

function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

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
