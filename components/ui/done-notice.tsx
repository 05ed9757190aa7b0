import { headers } from 'next/headers';
import { doneAt, type Doer } from '@/lib/http/done-notice';
import { SENT_METHOD_HEADER } from '@/lib/http/request-context';

/**
 * Says to `viewer` what they just did on the page at `pathname`, when their action sent the browser
 * there (`?done=`, signed: see lib/http/done-notice.ts). Only the page's own words: any other `done` says nothing.
 */
export async function DoneNotice({
  messages,
  done,
  pathname,
  viewer,
  tone = 'success',
}: {
  messages: Readonly<Record<string, string>>;
  done: string | undefined;
  pathname: string;
  viewer: Doer;
  /** `warning` for what was refused rather than done. */
  tone?: 'success' | 'warning';
}) {
  if (await drawnAsAFormsAnswer()) return null;
  const name = doneAt(pathname, done, viewer);
  if (!name || !Object.hasOwn(messages, name)) return null;
  return (
    <p className={`notice ${tone}`} role="status">
      {messages[name]}
    </p>
  );
}

/**
 * Whether this page is drawn as the answer to one of its own forms, which tells that form's outcome
 * alone, not the earlier action's (review r38b I2): without JavaScript a form posts to this very
 * address, `?done=` and all. The page an action redirects to is a GET, also when Next.js fetches it
 * with the action's own headers (server.mjs writes the method the client sent).
 */
async function drawnAsAFormsAnswer(): Promise<boolean> {
  return (await headers()).get(SENT_METHOD_HEADER) === 'POST';
}
