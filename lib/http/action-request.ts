// What React sends to a server action: every action here takes (previous state, FormData), so its
// arguments always travel as multipart/form-data, in numbered parts of JSON (React's "reply"
// encoding). A form posted without JavaScript is multipart/form-data too, with no header; when it
// names an action with bound arguments (`$ACTION_REF_<n>`), those arrive in parts `$ACTION_<n>:<m>`
// of the same encoding. Next.js decodes any such body on any page in case it is one, and a body
// that is not what it claims makes React's decoding throw (an answer of 500, and errors in the log):
// it is refused as a bad request before it gets there.
export const ACTION_HEADER = 'next-action';
/** The prefix of a Content-Type on which Next.js decodes a POST without that header as a form (server-action-request-meta.js). */
const NEXT_DECODES_AS_FORM = 'multipart/form-data';

export async function isMalformedActionRequest(request: Request): Promise<boolean> {
  if (request.method !== 'POST') return false;
  const type = request.headers.get('content-type') ?? '';
  if (!request.headers.has(ACTION_HEADER)) {
    // Exactly the test Next.js decodes a body on ("multipart/form-dataX" too): anything it would try, this checks first.
    if (!type.startsWith(NEXT_DECODES_AS_FORM)) return false;
    const form = await formOf(request);
    return form === null || !boundArgumentsAreSound(form, newBudget());
  }
  // Case matters as it does to Next.js: "Multipart/Form-Data" is no form to it, and it parses the
  // body as a JSON reply instead (a 500). React always sends the lower-case type.
  if (!/^multipart\/form-data;\s*boundary=/.test(type)) return true;
  const form = await formOf(request);
  // The call's arguments are a list: anything else made Next.js throw applying them.
  return form === null || !isSoundReply(form, '', newBudget(), true);
}

/** The form the body holds, or null when it is none, or not one every parser reads alike (plainParts). */
async function formOf(request: Request): Promise<FormData | null> {
  try {
    const body = await request.clone().arrayBuffer();
    const type = request.headers.get('content-type') ?? '';
    if (!plainParts(Buffer.from(body).toString('latin1'), boundaryOf(type))) return null;
    return await new Response(body, { headers: { 'content-type': type } }).formData();
  } catch {
    return null;
  }
}

function boundaryOf(contentType: string): string | null {
  const [, quoted, bare] = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType) ?? [];
  return quoted ?? bare ?? null;
}

// A part as browsers and React send a form's fields: one header, naming the field, nothing else.
// The name holds only what busboy (Next.js's parser) reads in a header: no control character but
// the tab, and a head well inside its 16 KiB; anything else it refuses by throwing, a 500 (r30b).
const PLAIN_PART_HEAD = /^content-disposition:[ \t]*form-data;[ \t]*name="[^"\\;\x00-\x08\x0a-\x1f\x7f]{0,1024}"[ \t]*$/i;

/**
 * Whether every part of a multipart body is a plain field, as our pages' forms and React send them:
 * no second Content-Disposition, no Content-Type, file name or transfer encoding, no text before the
 * first boundary. Next.js decodes an action's body with its own parser (busboy), which reads such
 * parts differently from the one this check reads with (two names: busboy takes the first, undici
 * the last): the check must never judge one body while React decodes another.
 */
function plainParts(body: string, boundary: string | null): boolean {
  if (!boundary) return false;
  const delimiter = `--${boundary}`;
  if (!body.startsWith(`${delimiter}\r\n`)) return false;
  const parts = body.slice(delimiter.length).split(`\r\n${delimiter}`);
  const last = parts.pop();
  if (last === undefined || !last.startsWith('--')) return false;
  return parts.every((part) => {
    if (!part.startsWith('\r\n')) return false;
    const headEnd = part.indexOf('\r\n\r\n');
    return headEnd !== -1 && PLAIN_PART_HEAD.test(part.slice(2, headEnd));
  });
}

/**
 * Each `$ACTION_REF_<n>` of a form posted without JavaScript, with its parts `$ACTION_<n>:<m>`. A
 * browser sends each once, and a form has a few at most (its own action, its buttons'): 520 copies
 * of one had the whole body checked 520 times (2.5 s of CPU for 63 KB).
 */
function boundArgumentsAreSound(form: FormData, budget: Budget): boolean {
  const references = [...form.keys()].filter((name) => name.startsWith('$ACTION_REF_'));
  if (references.length > MAX_BOUND_ACTIONS || new Set(references).size !== references.length) return false;
  return references.every((name) => {
    const prefix = `$ACTION_${name.slice('$ACTION_REF_'.length)}:`;
    return isSoundReply(form, prefix, budget) && bindsFewArguments(form, prefix);
  });
}

/**
 * Whether a form binds its action no more arguments than ours take, written as React writes them: none
 * (`bound: null`), or `bound: "$@<n>"` naming a part that is a list of at most MAX_ARGUMENTS. Any other
 * shape is refused: React binds a list reached through further references too, and threw on one of
 * more than 1,000 (review r55d F3).
 */
function bindsFewArguments(form: FormData, prefix: string): boolean {
  const meta: unknown = JSON.parse(form.get(`${prefix}0`) as string);
  const bound = meta !== null && typeof meta === 'object' ? (meta as { bound?: unknown }).bound : undefined;
  if (bound === null) return true;
  const [, hex] = /^\$@([0-9a-f]+)$/.exec(typeof bound === 'string' ? bound : '') ?? [];
  const part = hex === undefined ? null : form.get(`${prefix}${parseInt(hex, 16)}`);
  return typeof part === 'string' && isArgumentList(JSON.parse(part));
}

/** Deeper than any state of ours (counted across references); React decodes recursively, and thousands of levels overflow its stack. */
const MAX_DEPTH = 32;
/** More parts than any call of ours sends: a state's repeated objects and a FormData each take one. */
const MAX_PARTS = 64;

/** More actions with bound arguments than one form of ours holds. */
const MAX_BOUND_ACTIONS = 8;
/**
 * More arguments than any call of ours passes: every action takes its previous state and the form
 * (defineAction). Next.js and React throw past 1,000 arguments (a 500, errors in the log).
 */
const MAX_ARGUMENTS = 8;
const isArgumentList = (value: unknown): boolean => Array.isArray(value) && value.length <= MAX_ARGUMENTS;
/**
 * Steps one request's check may take: each value visited, each reference and each key of a path
 * followed. A depth limit alone does not bound the work: references whose paths name further
 * references multiply it at every level (750 bytes held the event loop for nine seconds). Our
 * clients' replies take a few dozen steps; the largest body we accept holds some 30,000 values.
 */
const MAX_STEPS = 50_000;
type Budget = { steps: number };
const newBudget = (): Budget => ({ steps: MAX_STEPS });

const PART_REFERENCE = /^\$(@?)([0-9a-f]+)((?::[^:]*)*)$/;

/**
 * Whether the parts named `<prefix><number>` are a reply React decodes without throwing, as our
 * clients send them: part 0 present, each part JSON, and only the markers plain values use
 * (escaped text, undefined, numbers JSON cannot hold, dates, big integers, a FormData, a reference
 * to another part or a value inside one). Maps, sets, blobs, streams, iterators, typed arrays,
 * temporary and server references are never in our states, and are what the decoding threw on.
 * `streamed`: Next.js decodes a call made with JavaScript part by part as the body arrives, so a
 * part may only name parts before it (React writes part 0 last), or itself.
 */
function isSoundReply(form: FormData, prefix: string, budget: Budget, streamed = false): boolean {
  const parts = new Map<number, { value: unknown; at: number }>();
  for (const [name, value] of form.entries()) {
    if (!name.startsWith(prefix)) continue;
    const id = name.slice(prefix.length);
    if (!/^\d+$/.test(id)) continue;
    if (!/^(0|[1-9]\d{0,5})$/.test(id) || typeof value !== 'string' || parts.has(Number(id)) || parts.size >= MAX_PARTS) return false;
    try {
      parts.set(Number(id), { value: JSON.parse(value), at: parts.size });
    } catch {
      return false;
    }
  }
  if (!parts.has(0)) return false;
  if (streamed && !isArgumentList(parts.get(0)!.value)) return false;
  const checked = new Set<number>([0]);

  /** The value a reference from part `from` names, as React finds it; undefined when React would throw. */
  const resolve = (from: number, text: string, depth: number): { value: unknown } | undefined => {
    const [, promise, hex, path] = PART_REFERENCE.exec(text) ?? [];
    if (hex === undefined || depth >= MAX_DEPTH || --budget.steps < 0) return undefined;
    const id = parseInt(hex, 16);
    const part = parts.get(id);
    if (!part || (streamed && !promise && id !== from && part.at > parts.get(from)!.at)) return undefined;
    if (promise && path) return undefined;
    // Each part is checked once, counted from where it is first named.
    if (!checked.has(id)) {
      checked.add(id);
      if (!isSound(id, part.value, depth + 1)) return undefined;
    }
    let value = part.value;
    for (const key of path ? path.slice(1).split(':') : []) {
      if (--budget.steps < 0) return undefined;
      // A reference on the way is followed, as React does, before the walk goes on.
      if (typeof value === 'string' && PART_REFERENCE.test(value)) value = resolve(id, value, depth + 1)?.value;
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return { value };
  };

  const isSound = (from: number, value: unknown, depth: number): boolean => {
    if (depth >= MAX_DEPTH || --budget.steps < 0) return false;
    if (typeof value === 'string') {
      if (!value.startsWith('$')) return true;
      if (/^\$(\$|undefined$|NaN$|Infinity$|-Infinity$|-0$|D|K[0-9a-f]+$)/.test(value)) return true;
      if (/^\$n-?\d{1,300}$/.test(value)) return true;
      return resolve(from, value, depth) !== undefined;
    }
    if (value === null || typeof value !== 'object') return true;
    return Object.values(value).every((inner) => isSound(from, inner, depth + 1));
  };
  return isSound(0, parts.get(0)!.value, 0);
}
