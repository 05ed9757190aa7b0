// What React sends to a server action: every action here takes (previous state, FormData), so its
// arguments always travel as multipart/form-data, and each numbered part is JSON. A body that is
// not that would make Next.js's own decoding throw (an answer of 500): it is refused as a bad
// request before it gets there.
export const ACTION_HEADER = 'next-action';

export async function isMalformedActionRequest(request: Request): Promise<boolean> {
  if (request.method !== 'POST' || !request.headers.has(ACTION_HEADER)) return false;
  if (!/^multipart\/form-data;\s*boundary=/i.test(request.headers.get('content-type') ?? '')) return true;
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    return true;
  }
  for (const [name, value] of form.entries()) {
    if (!/^\d+$/.test(name)) continue;
    if (typeof value !== 'string') return true;
    try {
      JSON.parse(value);
    } catch {
      return true;
    }
  }
  return !form.has('0');
}
