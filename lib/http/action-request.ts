// What React sends to a server action: every action here takes (previous state, FormData), so its
// arguments always travel as multipart/form-data, in numbered parts of JSON (React's "reply"
// encoding). A form posted without JavaScript is multipart/form-data too, with no header; when it
// names an action with bound arguments (`$ACTION_REF_<n>`), those arrive in parts `$ACTION_<n>:<m>`
// of the same encoding. Next.js decodes any such body on any page in case it is one, and a body
// that is not what it claims makes React's decoding throw (an answer of 500, and errors in the log):
// it is refused as a bad request before it gets there.
export const ACTION_HEADER = 'next-action';

export async function isMalformedActionRequest(request: Request): Promise<boolean> {
  if (request.method !== 'POST') return false;
  const type = request.headers.get('content-type') ?? '';
  if (!request.headers.has(ACTION_HEADER)) {
    if (!/^multipart\/form-data\b/i.test(type)) return false;
    const form = await formOf(request);
    return form === null || !boundArgumentsAreSound(form);
  }
  if (!/^multipart\/form-data;\s*boundary=/i.test(type)) return true;
  const form = await formOf(request);
  return form === null || !isSoundReply(form, '');
}

async function formOf(request: Request): Promise<FormData | null> {
  try {
    return await request.clone().formData();
  } catch {
    return null;
  }
}

/** Each `$ACTION_REF_<n>` of a form posted without JavaScript, with its parts `$ACTION_<n>:<m>`. */
function boundArgumentsAreSound(form: FormData): boolean {
  for (const name of form.keys()) {
    if (name.startsWith('$ACTION_REF_') && !isSoundReply(form, `$ACTION_${name.slice('$ACTION_REF_'.length)}:`)) return false;
  }
  return true;
}

/** Deeper than any state of ours; React decodes recursively, and thousands of levels overflow its stack. */
const MAX_DEPTH = 32;

/**
 * Whether the parts named `<prefix><decimal>` are a reply React decodes without throwing, as our
 * clients send them: part 0 present, each part JSON, and only the markers plain values use
 * (escaped text, undefined, numbers JSON cannot hold, dates, big integers, a FormData, a reference
 * to another part that is there). Maps, sets, blobs, streams, iterators, typed arrays, temporary
 * and server references are never in our states, and are what the decoding threw on.
 */
function isSoundReply(form: FormData, prefix: string): boolean {
  const parts = new Map<number, unknown>();
  for (const [name, value] of form.entries()) {
    if (!name.startsWith(prefix)) continue;
    const id = name.slice(prefix.length);
    if (!/^\d+$/.test(id)) continue;
    if (typeof value !== 'string') return false;
    try {
      parts.set(Number(id), JSON.parse(value));
    } catch {
      return false;
    }
  }
  if (!parts.has(0)) return false;
  const isSoundText = (text: string) => {
    if (!text.startsWith('$')) return true;
    if (/^\$(\$|undefined$|NaN$|Infinity$|-Infinity$|-0$|D|K[0-9a-f]+$)/.test(text)) return true;
    if (/^\$n-?\d{1,300}$/.test(text)) return true;
    if (/^\$@[0-9a-f]+$/.test(text)) return parts.has(parseInt(text.slice(2), 16));
    // Another part, or a value inside one ("$0:values:name", React's way of sending an object twice).
    if (!/^\$[0-9a-f]+(:[^:]*)*$/.test(text)) return false;
    const [id, ...path] = text.slice(1).split(':');
    return leadsSomewhere(parts, parseInt(id!, 16), path);
  };
  const isSound = (value: unknown, depth: number): boolean => {
    if (typeof value === 'string') return isSoundText(value);
    if (value === null || typeof value !== 'object') return true;
    if (depth >= MAX_DEPTH) return false;
    return Object.values(value).every((inner) => isSound(inner, depth + 1));
  };
  return [...parts.values()].every((part) => isSound(part, 0));
}

/** Whether the path leads to a value in the part, as React walks it (own keys of plain objects and arrays). */
function leadsSomewhere(parts: Map<number, unknown>, id: number, path: string[]): boolean {
  if (!parts.has(id)) return false;
  let value = parts.get(id);
  for (const key of path) {
    // A reference on the way is resolved by React first; its own target is checked where it stands.
    if (typeof value === 'string' && value.startsWith('$')) return true;
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return true;
}
