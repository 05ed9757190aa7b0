import { doneAt } from '@/lib/http/done-notice';

/**
 * Says what was just done on the page at `pathname`, when an action sent the browser there (`?done=`,
 * signed: see lib/http/done-notice.ts). Only the page's own words: any other `done` says nothing.
 */
export function DoneNotice({ messages, done, pathname }: { messages: Readonly<Record<string, string>>; done: string | undefined; pathname: string }) {
  const name = doneAt(pathname, done);
  if (!name || !Object.hasOwn(messages, name)) return null;
  return (
    <p className="notice success" role="status">
      {messages[name]}
    </p>
  );
}
