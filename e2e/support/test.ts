// The `test` every spec uses: a console error, an uncaught page error or a Content-Security-Policy
// violation fails the test; an API request's GET or HEAD is sent again when its connection is reset.
import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import './env';
import { agencyOwner, ensureTotpFactor, hasConfirmedFactor, nextTotpCode, vendorOwner, type FactorOwner } from './second-factor';

declare global {
  interface Window {
    __reportCspViolation?: (text: string) => void;
  }
}

/**
 * Records every `securitypolicyviolation` of every page the context opens, from before the page's
 * own first script (an init script), into `violations`.
 */
const watched = new WeakSet<BrowserContext>();

async function watchForCspViolations(context: BrowserContext, violations: string[]) {
  // browser.newPage opens its context through browser.newContext: watch each context once.
  if (watched.has(context)) return;
  watched.add(context);
  await context.exposeBinding('__reportCspViolation', ({ page }, text: string) => violations.push(`${page?.url() ?? 'a page'}: ${text}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const where = event.blockedURI || 'inline';
      window.__reportCspViolation?.(`${event.effectiveDirective} refused ${where} at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
    });
  });
}

/**
 * Makes every GET and HEAD sent through the API client's fetch, get or head (`request`, `page.request`,
 * `context.request`, `playwright.request.newContext()`: one class, hence its prototype; not a route's
 * `route.fetch()`, which goes round it) be sent again, twice at most, when its connection is reset. The server closes a keep-alive connection idle for 5 s (Node.js's
 * default when no proxy is in front); a request written on it in that instant meets ECONNRESET. A
 * browser sends an idempotent request again then; Playwright's API client only when asked
 * (`maxRetries`, per request). Never a POST or another method: sent twice, it could do its work
 * twice and hide a bug. A request's own `maxRetries` is kept.
 */
function retryIdempotentRequestsOnReset(prototype: APIRequestContext) {
  const fetch = prototype.fetch;
  prototype.fetch = function (this: APIRequestContext, urlOrRequest, options) {
    const method = options?.method ?? (typeof urlOrRequest === 'string' ? 'GET' : urlOrRequest.method());
    if (!['GET', 'HEAD'].includes(method.toUpperCase()) || options?.maxRetries !== undefined) return fetch.call(this, urlOrRequest, options);
    return fetch.call(this, urlOrRequest, { ...options, maxRetries: 2 });
  } as typeof fetch;
}

export const test = base.extend<{ failOnConsoleErrors: void; cspViolations: string[] }, { retryIdempotentOnReset: void }>({
  retryIdempotentOnReset: [
    async ({ playwright }, use) => {
      // A context of the class, to reach its prototype; the worker's process keeps the change.
      const probe = await playwright.request.newContext();
      retryIdempotentRequestsOnReset(Object.getPrototypeOf(probe));
      await probe.dispose();
      await use();
    },
    { scope: 'worker', auto: true },
  ],
  // Every violation on any page the test opens, its own ones too (browser.newPage, browser.newContext);
  // any left at the end fails the test.
  cspViolations: [
    async ({ context, browser }, use) => {
      const violations: string[] = [];
      await watchForCspViolations(context, violations);
      const { newContext, newPage } = browser;
      browser.newContext = async (options) => {
        const opened = await newContext.call(browser, options);
        await watchForCspViolations(opened, violations);
        return opened;
      };
      browser.newPage = async (options) => {
        const opened = await newPage.call(browser, options);
        await watchForCspViolations(opened.context(), violations);
        return opened;
      };
      // `use` returns when the test ends, failed or not: the browser is the worker's, put it back.
      await use(violations);
      browser.newContext = newContext;
      browser.newPage = newPage;
      expect(violations, 'Content-Security-Policy violations in the browser').toEqual([]);
    },
    { auto: true },
  ],
  failOnConsoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        // A refused sign-in or a 4xx API call is expected in some specs; the browser logs those as resource errors.
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text() + ' @ ' + page.url());
      });
      page.on('pageerror', (error) => errors.push(`${error.message} @ ${page.url()}`));
      await use();
      expect(errors, 'console errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

type SignInOptions = {
  /** false: leave an account that must enrol without a factor (the enrolment tests). */
  enrol?: boolean;
  /** false: stop at /login/verify instead of typing the app's code. */
  verify?: boolean;
};

export async function signInAsAgencyUser(page: Page, creds: { providerCode: string; loginName: string; password: string }, options: SignInOptions = {}) {
  const account = await agencyOwner(creds);
  if (account?.required && options.enrol !== false) await ensureTotpFactor(account.owner);
  await page.goto('/login');
  await submitAgencySignIn(page, creds);
  if (account && options.verify !== false) await completeSecondFactor(page, account.owner);
}

/** Fills and sends the staff sign-in form of the page the browser is on (one reached with a callbackUrl, say). */
export async function submitAgencySignIn(page: Page, creds: { providerCode: string; loginName: string; password: string }) {
  await page.getByLabel('Provider code').fill(creds.providerCode);
  await page.getByLabel('Login name').fill(creds.loginName);
  await page.getByLabel('Password', { exact: true }).fill(creds.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signInAsVendor(page: Page, creds: { email: string; password: string }, options: SignInOptions = {}) {
  const account = await vendorOwner(creds);
  if (account && options.enrol !== false) await ensureTotpFactor(account.owner);
  await page.goto('/vendor/login');
  await page.getByLabel('Work e-mail address').fill(creds.email);
  await page.getByLabel('Password', { exact: true }).fill(creds.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (account && options.verify !== false) await completeSecondFactor(page, account.owner);
}

/** Types the app's code when the sign-in asks for it; a refused sign-in is left as it is. */
export async function completeSecondFactor(page: Page, owner: FactorOwner) {
  if (!(await hasConfirmedFactor(owner))) return;
  const verify = page.getByRole('heading', { name: 'Confirm it is you' });
  await expect(verify.or(page.locator('.error-summary, .notice.error')).first()).toBeVisible();
  if (!(await verify.isVisible())) return;
  await page.getByLabel('Code', { exact: true }).fill(await nextTotpCode(owner));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(verify).toBeHidden();
}
