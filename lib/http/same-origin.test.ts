import { describe, expect, it } from 'vitest';
import { isRequestedAsSubresource, isSameOriginRequest, isSentByAnotherSite } from './same-origin';

const APP = 'https://portal.example';

describe('isSentByAnotherSite', () => {
  it.each([
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site' }, true],
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    // No browser sends another spelling or a list: refused, not read as ours.
    [{ 'sec-fetch-site': 'Cross-Site' }, true],
    [{ 'sec-fetch-site': 'cross-site, same-origin' }, true],
    [{ 'sec-fetch-site': 'SAME-ORIGIN' }, true],
    [{ 'sec-fetch-site': '' }, true],
    // Fetch Metadata decides when present, whatever the referrer says.
    [{ 'sec-fetch-site': 'same-origin', referer: 'https://elsewhere.example/' }, false],
    // Without it, the referrer: another origin (another site, a sibling, another port or scheme) is another site.
    [{ referer: 'https://elsewhere.example/page' }, true],
    [{ referer: 'https://sub.portal.example/' }, true],
    [{ referer: 'https://portal.example:8443/' }, true],
    [{ referer: 'http://portal.example/admin' }, true],
    [{ referer: 'not a url' }, true],
    [{ referer: 'https://portal.example/admin/audit?x=1' }, false],
    // Neither: a typed address, a bookmark, a client that sends none.
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(isSentByAnotherSite(new Headers(headers as Record<string, string>), APP)).toBe(expected);
  });
});

describe('isSameOriginRequest', () => {
  it.each([
    // What browsers send with a form or a fetch of our own pages.
    [{ origin: APP, 'sec-fetch-site': 'same-origin' }, true],
    // A form posted without JavaScript from a page that sends no referrer (the secret-link pages).
    [{ origin: 'null', 'sec-fetch-site': 'same-origin' }, true],
    // A client without Fetch Metadata is judged by its Origin.
    [{ origin: APP }, true],
    [{ origin: 'https://evil.example' }, false],
    [{ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }, false],
    // Our Origin beside another site's Fetch Metadata: a pair no browser sends, not ours (review r55b I1).
    [{ origin: APP, 'sec-fetch-site': 'cross-site' }, false],
    [{ origin: APP, 'sec-fetch-site': 'same-site' }, false],
    [{ origin: APP, 'sec-fetch-site': 'none' }, false],
    [{ origin: APP, 'sec-fetch-site': 'SAME-ORIGIN' }, false],
    // A sandboxed frame's form.
    [{ origin: 'null', 'sec-fetch-site': 'cross-site' }, false],
    // Nothing to vouch for it.
    [{ origin: 'null' }, false],
    [{}, false],
    [{ 'sec-fetch-site': 'same-origin' }, true],
  ])('%j → %s', (headers, expected) => {
    expect(isSameOriginRequest(new Headers(headers as Record<string, string>), APP)).toBe(expected);
  });
});

describe('isRequestedAsSubresource', () => {
  it.each([
    // A page opened, or a form posted; the router's and a server action's fetches.
    [{ 'sec-fetch-dest': 'document' }, false],
    [{ 'sec-fetch-dest': 'empty' }, false],
    // Another page's `<img>`, `<script>`, `<link rel=stylesheet>`, `<iframe>` (review r55b F2).
    [{ 'sec-fetch-dest': 'image' }, true],
    [{ 'sec-fetch-dest': 'script' }, true],
    [{ 'sec-fetch-dest': 'style' }, true],
    [{ 'sec-fetch-dest': 'iframe' }, true],
    // A browser without Fetch Metadata, or a client that sends none.
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(isRequestedAsSubresource(new Headers(headers as Record<string, string>))).toBe(expected);
  });
});
