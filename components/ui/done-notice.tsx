/**
 * Says what was just done on a page an action sent the browser to (`?done=<name>`, see donePath in
 * lib/auth/guards.ts). Only the page's own words: any other `done` says nothing.
 */
export function DoneNotice({ messages, done }: { messages: Readonly<Record<string, string>>; done: string | undefined }) {
  if (!done || !Object.hasOwn(messages, done)) return null;
  return (
    <p className="notice success" role="status">
      {messages[done]}
    </p>
  );
}
