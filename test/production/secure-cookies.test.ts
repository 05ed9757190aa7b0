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
