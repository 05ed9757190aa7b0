// @ts-check
import { replaceAnswer } from './replace-answer.mjs';

/**
 * A form posted without JavaScript that Next.js cannot run (its action is in no build of ours: a
 * page left open across an update, or a form not sent from our pages) gets from Next.js a bare line
 * of text: "Server Action unavailable." (409) or "Invalid Server Action request." (400). A person
 * reads that in their browser with no way on: they get a page that says what to do, with the same
 * status. Requests with JavaScript (a `Next-Action` header) are answered by the page's own code.
 */
const PAGE = Buffer.from(
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Form out of date · CareNotes password help</title></head><body><main><h1>This form could not be sent</h1>' +
    '<p>The page was opened before CareNotes was updated, or the form did not come from one of its pages. Nothing was changed.</p>' +
    '<p>Go back, reload the page, and fill in the form again.</p>' +
    '<p><a href="/">Go to the CareNotes password help home page</a></p></main></body></html>',
);

// How Next.js marks an answer to an action it has not got (action-handler.js, handleUnrecognizedAction).
const ACTION_NOT_FOUND_HEADER = 'x-nextjs-action-not-found';
// Headers of Next.js's answer that describe its bytes, not the page sent instead.
const BYTES_HEADERS = ['content-type', 'content-length', 'content-encoding', 'etag', 'vary'];

/**
 * Call before Next.js gets `response` (see replaceAnswer).
 * @param {import('node:http').IncomingMessage} request @param {import('node:http').ServerResponse} response
 */
export function answerFormRefusalWithPage(request, response) {
  if (request.method !== 'POST' || request.headers['next-action'] !== undefined) return;
  if (!String(request.headers.accept ?? '').includes('text/html')) return;
  replaceAnswer(response, (status) => {
    // Only Next.js's own refusal, which it marks: any other 400 or 409 (ours) says what it means.
    if ((status !== 400 && status !== 409) || response.getHeader(ACTION_NOT_FOUND_HEADER) !== '1') return undefined;
    for (const name of BYTES_HEADERS) response.removeHeader(name);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Content-Length', PAGE.length);
    response.setHeader('Cache-Control', 'no-store');
    return PAGE;
  });
}
