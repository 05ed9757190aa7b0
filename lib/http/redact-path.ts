// Paths that carry a secret (single-use links) and query values that do: never logged as they are.
const SECRET_SEGMENTS = /^(\/reset|\/super-admin-reset\/cancel)\/[^/?#]+/;
const SECRET_QUERY = /([?&](?:t|token)=)[^&#]*/g;

/** A request path fit for a log line: link tokens replaced with a placeholder. */
export function redactPath(path: string): string {
  return path.replace(SECRET_SEGMENTS, '$1/[redacted]').replace(SECRET_QUERY, '$1[redacted]');
}
