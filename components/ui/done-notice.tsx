import { doneAt, type Doer } from '@/lib/http/done-notice';

/**
 * Says to `viewer` what they just did on the page at `pathname`, when their action sent the browser
 * there (`?done=`, signed: see lib/http/done-notice.ts). Only the page's own words: any other `done` says nothing.
 */
export function DoneNotice({
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
  const name = doneAt(pathname, done, viewer);
  if (!name || !Object.hasOwn(messages, name)) return null;
  return (
    <p className={`notice ${tone}`} role="status">
      {messages[name]}
    </p>
  );
}
