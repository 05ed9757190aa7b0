// A form as a browser without JavaScript posts it: read off the page's HTML (its action and hidden
// fields, a server action's reference among them), sent back as multipart/form-data. Shared by the
// production tests and the benches, which all sign in the way such a browser does.

const unescape = (value: string) =>
  value.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

type Form = { action: string; hidden: [string, string][] };

/** The first form on the page that has a field named `fieldName`: its action and its hidden fields. */
export function formWithField(html: string, fieldName: string): Form {
  return formWhere(html, (inner) => new RegExp(`\\bname="${fieldName}"`).test(inner), `a field "${fieldName}"`);
}

/** The first form on the page with a button saying `label` (a form of hidden fields alone, as "Sign out"). */
export function formWithButton(html: string, label: string): Form {
  return formWhere(html, (inner) => new RegExp(`<button\\b[^>]*>${label}</button>`).test(inner), `a button "${label}"`);
}

function formWhere(html: string, holds: (inner: string) => boolean, what: string): Form {
  const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find((match) => holds(match[2] ?? ''));
  if (!form) throw new Error(`no form with ${what} on the page`);
  const action = unescape(/\baction="([^"]*)"/.exec(form[1] ?? '')?.[1] ?? '');
  const hidden = [...(form[2] ?? '').matchAll(/<input\b[^>]*>/g)]
    .map(([tag]) => tag)
    .filter((tag) => /\btype="hidden"/.test(tag))
    .map((tag): [string, string] => [unescape(/\bname="([^"]*)"/.exec(tag)?.[1] ?? ''), unescape(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')])
    .filter(([name]) => name !== '');
  return { action, hidden };
}

/** The fields as a multipart/form-data body, and its content type. */
export function multipartBody(fields: [string, string][], boundary = `----portalform${Math.random().toString(36).slice(2)}`): { body: string; type: string } {
  const body = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + `--${boundary}--\r\n`;
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}
