// tests/browser/lib.mjs - what every browser test file shares: Chromium
// (Debian's, driven by playwright-core from web/'s devDependencies), named
// checks that count "ok"/"not ok", direct API calls for set-up, a page
// watcher (console errors, requests to other origins) and the check every
// page gets (a visible h1, no console error, nothing from elsewhere, a
// screenshot under OUT_DIR named after the test file).
//
// A test file: `const t = suite('billing')`, then `await t.check(...)`, and
// `t.finish()` at the end (prints "N passed, N failed" and exits).
import { createRequire } from 'node:module';
import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'web/package.json'));
const { chromium } = require('playwright-core');

export const BASE = process.env.BASE_URL;
if (!BASE) {
  console.error('BASE_URL is required (tests/browser/run sets it)');
  process.exit(2);
}
export const OUT = path.resolve(root, process.env.OUT_DIR ?? 'build/test-output/ui');
mkdirSync(OUT, { recursive: true });
const CHROMIUM =
  process.env.CHROMIUM ??
  ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));

export const PASSWORD = 'blue kettle over 9 hills';
/** Unique per run, for emails. */
export const stamp = Date.now().toString(36) + Math.floor(Math.random() * 1e4).toString(36);

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** A direct API call (what the test sets up around the UI). */
export async function api(method, p, { token, body, headers } = {}) {
  const res = await fetch(BASE + p, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(headers ?? {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return json;
}

/** Registers a new owner by the API: { email, token, workspace_id, ... }. */
export async function registerOwner(prefix, extra = {}) {
  const email = `${prefix}-${stamp}@example.com`;
  const s = await api('POST', '/api/auth/register', {
    body: { email, password: PASSWORD, ...extra },
  });
  return { ...s, email };
}

/**
 * Watches a page: console errors, page errors, failed responses, requests
 * leaving the server's origin, API requests made.
 */
export function watch(page) {
  const w = { errors: [], httpErrors: [], external: [], apiRequests: 0, allowed: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') w.errors.push({ text: msg.text(), url: msg.location()?.url ?? '' });
  });
  page.on('pageerror', (e) => w.errors.push({ text: `pageerror: ${e.message}`, url: '' }));
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(BASE) && !u.startsWith('data:') && !u.startsWith('blob:')) w.external.push(u);
    if (u.startsWith(`${BASE}/api/`)) w.apiRequests++;
  });
  page.on('response', (res) => {
    if (res.status() >= 400) w.httpErrors.push({ url: res.url(), status: res.status() });
  });
  return w;
}

/** Expected failing API answers (provoked on purpose) are not console errors. */
function unexpectedErrors(w) {
  return w.errors.filter((e) => {
    if (!/Failed to load resource/.test(e.text)) return true;
    const http = w.httpErrors.find((h) => h.url === e.url) ?? { url: e.url, status: 0 };
    return !w.allowed.some((a) => a.status === http.status && http.url.includes(a.path));
  });
}

export async function tokenOf(page) {
  return page.evaluate(() => localStorage.getItem('crowdelic.token'));
}

/** One test file's checks, browser and screenshots. */
export function suite(name) {
  let passed = 0;
  let failed = 0;
  let shot = 0;
  let failedInARow = 0;
  const t0 = Date.now();
  const s = {
    browser: null,
    /** The page a failed check photographs (the one the test is driving). */
    current: null,

    async launch() {
      s.browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      return s.browser;
    },

    /** A new page (desktop 1280x800 unless told) with its watcher, made current. */
    async newPage(contextOptions = {}) {
      const ctx = await s.browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
        ...contextOptions,
      });
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      const w = watch(page);
      s.current = page;
      return { ctx, page, w };
    },

    /** A page already signed in with `token` (set in localStorage), at `path`. */
    async signedInPage(token, pathname = '/dashboard', contextOptions = {}) {
      const p = await s.newPage(contextOptions);
      await p.page.goto(`${BASE}/sign-in`);
      await p.page.evaluate((tk) => localStorage.setItem('crowdelic.token', tk), token);
      await p.page.goto(`${BASE}${pathname}`);
      return p;
    },

    ok(checkName) {
      passed++;
      failedInARow = 0;
      console.log(`ok - ${checkName}`);
    },

    notOk(checkName, err) {
      failed++;
      failedInARow++;
      console.log(`not ok - ${checkName}`);
      for (const line of String(err?.stack ?? err)
        .split('\n')
        .slice(0, 6))
        console.log(`#   ${line}`);
    },

    /** One named check; a failure is counted and the run goes on. */
    async check(checkName, fn) {
      if (failedInARow >= 6)
        throw new Error('6 checks failed in a row: the rest would only time out');
      try {
        await fn();
        s.ok(checkName);
        return true;
      } catch (e) {
        s.notOk(checkName, e);
        if (s.current) {
          const file = path.join(OUT, `${name}-failed-${passed + failed}.png`);
          await s.current.screenshot({ path: file, fullPage: true }).catch(() => {});
          console.log(`#   screenshot: ${path.relative(root, file)}; url ${s.current.url()}`);
        }
        return false;
      }
    },

    /** A screenshot under OUT_DIR, numbered in the order taken. */
    async screenshot(page, label, opts = {}) {
      shot++;
      const file = path.join(OUT, `${name}-${String(shot).padStart(2, '0')}-${label}.png`);
      await page.screenshot({ path: file, ...opts });
    },

    /**
     * The check every page gets: a visible h1 (optionally with the given
     * text), no console error since the last one, nothing fetched from
     * elsewhere, and a full-page screenshot.
     */
    async pageCheck(page, w, label, heading) {
      await s.check(`${label}: a visible heading${heading ? ` "${heading}"` : ''}`, async () => {
        const h1 = page
          .locator('h1')
          .filter({ hasText: heading ?? /./ })
          .first();
        await h1.waitFor({ state: 'visible', timeout: 10_000 });
      });
      // let pending requests settle before judging the console
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
      await s.screenshot(page, label, { fullPage: true });
      await s.check(`${label}: no console errors`, async () => {
        const bad = unexpectedErrors(w);
        assert(bad.length === 0, `console errors: ${JSON.stringify(bad).slice(0, 600)}`);
      });
      await s.check(`${label}: nothing fetched from another origin`, async () => {
        assert(w.external.length === 0, `external requests: ${w.external.join(', ')}`);
      });
      w.errors.length = 0;
      w.httpErrors.length = 0;
      w.allowed = [];
    },

    /** Closes the browser, prints the summary line and exits. */
    async finish() {
      if (s.browser) await s.browser.close().catch(() => {});
      console.log(
        `# ${name}: ${shot} screenshots in ${path.relative(root, OUT)}; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
  return s;
}
