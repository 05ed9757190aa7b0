/**
 * The Content-Disposition of a download named `fileName`, whatever it holds. A header carries bytes, not
 * text: a name with a character beyond Latin-1 (an agency's code, "ŁÓDŹ-01") made every audit export a
 * 500 (review r40a F3). Browsers take the name from `filename*` (RFC 6266, UTF-8 percent-encoded); the
 * plain `filename`, for those that do not, keeps ASCII letters, digits, dots and dashes, each other
 * character an underscore, and so never needs quoting.
 */
export function attachment(fileName: string): string {
  const plain = Array.from(fileName, (character) => (/^[A-Za-z0-9._-]$/.test(character) ? character : '_')).join('');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`;
}

/**
 * Answers a request for a CSV download named `fileName`: the file `make` builds, or for HEAD its headers
 * alone. Next.js answers HEAD with GET, and an export audited as taken must not be made for a request that
 * takes nothing (review r42c F1). `make` answers with a Response of its own when it cannot build the file.
 */
export async function csvDownload(request: Request, fileName: string, make: () => Promise<string | Response>): Promise<Response> {
  const headers = { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(fileName), 'Cache-Control': 'no-store' };
  if (request.method === 'HEAD') return new Response(null, { headers });
  const csv = await make();
  return csv instanceof Response ? csv : new Response(csv, { headers });
}
