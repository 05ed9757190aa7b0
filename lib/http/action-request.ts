// What React sends to a server action: every action here takes (previous state, FormData), so its
// arguments always travel as multipart/form-data, and each numbered part is JSON. A form posted
// without JavaScript is multipart/form-data too, with no header, and Next.js decodes any such body
// on any page in case it is one. A body that is not what it claims would make Next.js's decoding
// throw (an answer of 500, and errors in the log): it is refused as a bad request before it gets there.
export const ACTION_HEADER = 'next-action';

export async function isMalformedActionRequest(request: Request): Promise<boolean> {
  if (request.method !== 'POST') return false;
  const type = request.headers.get('content-type') ?? '';
  if (!request.headers.has(ACTION_HEADER)) return /^multipart\/form-data\b/i.test(type) && (await formOf(request)) === null;
  if (!/^multipart\/form-data;\s*boundary=/i.test(type)) return true;
  const form = await formOf(request);
  if (!form) return true;
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

async function formOf(request: Request): Promise<FormData | null> {
  try {
    return await request.clone().formData();
  } catch {
    return null;
  }
}
