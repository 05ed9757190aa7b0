// Served over https (APP_URL), the session cookie is `__Host-`: Secure, Path=/, no Domain. Browsers
// take a change to such a cookie, its removal included, only with those same attributes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMigratedProductionServer, type ProductionServer } from '../support/production-server';

let server: ProductionServer;
const appOrigin = 'https://portal.example';

beforeAll(async () => {
  // The server speaks plain http here, as it does behind the TLS proxy that APP_URL names.
  server = await startMigratedProductionServer({ APP_URL: appOrigin });
});

afterAll(async () => {
  await server?.stop();
});

it('[STAFF] signing out over https removes the __Host- session cookie with the attributes a browser requires (review r31b F1)', async () => {
  const response = await fetch(`${server.url}/sign-out`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: appOrigin, 'content-type': 'application/x-www-form-urlencoded', cookie: '__Host-next-auth.session-token=left-over' },
    body: '',
  });
  expect(response.status).toBe(303);
  const removal = response.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-next-auth.session-token='));
  expect(removal).toBeDefined();
  const attributes = removal!.split(';').map((part) => part.trim().toLowerCase());
  expect(attributes[0]).toBe('__host-next-auth.session-token=');
  expect(attributes).toEqual(expect.arrayContaining(['secure', 'path=/', 'httponly']));
  expect(attributes.some((attribute) => attribute === 'max-age=0' || attribute.startsWith('expires=thu, 01 jan 1970'))).toBe(true);
  expect(attributes.some((attribute) => attribute.startsWith('domain='))).toBe(false);
});

/** The attributes of the browser-key cookie an answer sets; undefined when it sets none. */
const browserKeySet = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('__Host-portal-browser='))
    ?.split(';')
    .map((part) => part.trim().toLowerCase());

it('[STAFF] the sign-in pages name a browser without a key, from memory and from Next.js alike, as this browser’s own answer: __Host-, and never sent again to a browser that has one', async () => {
  // The bare page comes from memory once its first copy is in (its render stamp says so); with a query string Next.js renders it.
  const fromMemory = async (path: string) => {
    for (let tries = 0; tries < 600; tries += 1) {
      const response = await fetch(`${server.url}${path}`);
      if (response.headers.has('x-portal-rendered-at')) return response;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${path} never came from memory`);
  };
  const answers = [await fromMemory('/login'), await fromMemory('/vendor/login'), await fetch(`${server.url}/login?callbackUrl=%2Faccount`), await fetch(`${server.url}/vendor/login?x=1`)];
  for (const response of answers) {
    expect(response.status).toBe(200);
    const attributes = browserKeySet(response);
    expect(attributes?.[0]).toMatch(/^__host-portal-browser=[a-z0-9_-]{22}$/);
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'path=/', 'httponly', 'samesite=lax']));
    expect(attributes!.some((attribute) => attribute.startsWith('domain='))).toBe(false);
    // No shared cache may keep a key and hand it to other browsers.
    expect(response.headers.get('cache-control')).toMatch(/private|no-store/);
  }
  const keys = answers.map((response) => browserKeySet(response)![0]);
  expect(new Set(keys).size).toBe(keys.length);
  // A browser that has a key keeps it; a malformed one is replaced.
  const cookie = `__Host-portal-browser=${'a'.repeat(22)}`;
  for (const path of ['/login', '/login?callbackUrl=%2Faccount']) {
    expect(browserKeySet(await fetch(`${server.url}${path}`, { headers: { cookie } }))).toBeUndefined();
    expect(browserKeySet(await fetch(`${server.url}${path}`, { headers: { cookie: '__Host-portal-browser=short' } }))).toBeDefined();
  }
  // Other pages set none.
  expect(browserKeySet(await fetch(`${server.url}/help`))).toBeUndefined();
});
