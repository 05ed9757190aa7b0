import { describe, expect, it } from 'vitest';
import { attachment, csvDownload } from './attachment';

describe('attachment', () => {
  it('names a download with any characters in a header a Response accepts: UTF-8 for browsers, ASCII for the rest', () => {
    const value = attachment('audit-ŁÓDŹ-01-2026-12-06.csv');
    expect(value).toBe(`attachment; filename="audit-__D_-01-2026-12-06.csv"; filename*=UTF-8''audit-%C5%81%C3%93D%C5%B9-01-2026-12-06.csv`);
    expect(new Response('', { headers: { 'Content-Disposition': value } }).headers.get('content-disposition')).toBe(value);
  });

  it('leaves no quote, backslash, semicolon or line break to end the name early', () => {
    const value = attachment('a"b\\c;d\r\ne\'(f)*.csv');
    expect(value).toBe(`attachment; filename="a_b_c_d__e__f__.csv"; filename*=UTF-8''a%22b%5Cc%3Bd%0D%0Ae%27%28f%29%2A.csv`);
    expect(new Response('', { headers: { 'Content-Disposition': value } }).headers.get('content-disposition')).toBe(value);
  });

  it('keeps a plain name as it is', () => {
    expect(attachment('super-admin-requests-2026-12-06.csv')).toBe(`attachment; filename="super-admin-requests-2026-12-06.csv"; filename*=UTF-8''super-admin-requests-2026-12-06.csv`);
  });
});

describe('csvDownload', () => {
  const request = (method: string) => new Request('http://localhost/export', { method });

  it('answers HEAD with the download’s headers and never builds (or audits) the file', async () => {
    let built = 0;
    const response = await csvDownload(request('HEAD'), 'audit.csv', async () => `${++built}\n`);
    expect(built).toBe(0);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe(attachment('audit.csv'));
    expect(await response.text()).toBe('');
  });

  it('answers GET with the file, not to be stored, and passes on an answer of the builder’s own', async () => {
    const file = await csvDownload(request('GET'), 'audit.csv', async () => 'a,b\n');
    expect(await file.text()).toBe('a,b\n');
    expect(file.headers.get('Cache-Control')).toBe('no-store');
    const busy = await csvDownload(request('GET'), 'audit.csv', async () => new Response('busy', { status: 503 }));
    expect(busy.status).toBe(503);
  });
});
