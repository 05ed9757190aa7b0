import { redactPath } from '@/lib/http/redact-path.mjs';

/**
 * What a refusal's record names ("POST /reset/…", "page /admin/…", "action name"), its path redacted as
 * the access log's is: a single-use link's token must not reach a record that is never pruned (review
 * r51g F1: another site's post to /reset/<token> kept the live token there). Cut short.
 */
export function refusedWhat(what: string): string {
  const space = what.indexOf(' ');
  if (space < 0) return what.slice(0, 200);
  const target = what.slice(space + 1);
  return `${what.slice(0, space)} ${/^[/\\]/.test(target) ? redactPath(target) : target}`.slice(0, 200);
}
