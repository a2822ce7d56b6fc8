// What the browser tests share: where Grove runs, the browser, sign-in and
// sign-up as a user does them, axe, and the checks every journey makes.
//
// scripts/browser.sh starts `wrangler dev` with fresh state and sets
// GROVE_PORT (and GROVE_BASE_DOMAIN); every URL is a real
// `NAME.grove.localhost:PORT` URL, which Chromium resolves to loopback.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const PORT = Number(process.env.GROVE_PORT);
export const BASE_DOMAIN = process.env.GROVE_BASE_DOMAIN || 'grove.localhost';
if (!PORT) {
  throw new Error('GROVE_PORT is not set: run the suite with scripts/browser.sh');
}

/** The demo owners of seeds/demo.toml (local only). */
export const AUTUMN = { name: 'autumn', email: 'autumn@grove.localhost', password: 'autumn-demo-2026' };
export const MEADOW = { name: 'meadow', email: 'meadow@grove.localhost', password: 'meadow-demo-2026' };

/** Widths the suite and the screenshots look at. */
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** `http://NAME.grove.localhost:PORT/path`; no name is the platform's apex. */
export function url(name, path = '/') {
  const host = name ? `${name}.${BASE_DOMAIN}` : BASE_DOMAIN;
  return `http://${host}:${PORT}${path}`;
}

/** The same URL as `url(name, path)`, as a pattern for `page.waitForURL`. */
export function at(name, path) {
  return new RegExp(`^${escapeRegExp(url(name, path))}$`);
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name no other run or test uses (a blog address: 3 to 30 of [a-z0-9-]). */
export function unique(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

let contexts = 0;

/**
 * A fresh browser context (no cookies) and a page in it. Dialogs (a
 * "leave this page?" warning) are accepted, as a user who means to leave
 * would. Pages of the demo seed link images on an outside host: the
 * machine cannot reach it, so those requests are answered locally at once
 * instead of waiting for a timeout.
 */
export async function fresh(browser, options = {}) {
  // Each context is a client of its own (`wrangler dev` passes the
  // address on): sign-ups are limited to 5 an hour per address, and the
  // suite signs up more blogs than that.
  const address = `2001:db8:b0::${(++contexts).toString(16)}:${(process.pid & 0xffff).toString(16)}`;
  const context = await browser.newContext({
    viewport: DESKTOP,
    extraHTTPHeaders: { 'cf-connecting-ip': address },
    ...options,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(20_000);
  await context.route(
    (u) => !u.hostname.endsWith(BASE_DOMAIN),
    (route) => route.fulfill({ status: 404, body: '' }),
  );
  context.on('page', (p) => p.on('dialog', (d) => d.accept()));
  const page = await context.newPage();
  return { context, page };
}

/** Signs in on the auth host's form; returns once the browser is on the blog's admin. */
export async function signIn(page, owner) {
  await page.goto(url('auth', '/signin'));
  await fillSignIn(page, owner);
  await page.waitForURL(at(owner.name, '/admin'));
}

/** Fills and sends the sign-in form the page shows. */
export async function fillSignIn(page, owner) {
  await assertHeading(page, 'Sign in');
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs up for a new blog `name`; returns its owner, signed in, on `/admin`.
 * Sign-up itself lands on the setup wizard (`/admin/welcome`); from there
 * this goes on to the dashboard.
 */
export async function signUp(page, name, title) {
  const owner = await fillSignUp(page, name, title);
  await page.goto(url(name, '/admin'));
  return owner;
}

/** Fills and sends the sign-up form; returns once the browser is on `/admin/welcome`. */
export async function fillSignUp(page, name, title) {
  const owner = { name, email: `${name}@example.com`, password: `pw-${name}-long-enough` };
  if (!page.url().startsWith(url('auth', '/signup'))) await page.goto(url('auth', '/signup'));
  await assertHeading(page, 'Start a blog');
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByLabel('Blog address').fill(name);
  await page.getByLabel('Blog title').fill(title);
  await page.getByRole('button', { name: 'Create blog' }).click();
  await page.waitForURL(at(name, '/admin/welcome'));
  return owner;
}

/** Signs out with the admin header's button. */
export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await assertHeading(page, 'You are signed out.');
}

/**
 * Opens the post editor, types a post and presses `button` ("Publish",
 * "Save draft"); returns the new post's id once the editor shows it saved.
 */
export async function writePost(page, blog, post, button = 'Publish') {
  await page.goto(url(blog, '/admin/posts/new'));
  await page.getByLabel('Title', { exact: true }).fill(post.title);
  if (post.tags) await page.getByLabel('Tags').fill(post.tags);
  await page.getByLabel('Text (Markdown)').fill(post.markdown);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL(SAVED_POST);
  return SAVED_POST.exec(page.url())[1];
}

/** Where the editor goes after a save: the saved post, with a notice. */
export const SAVED_POST = /\/admin\/posts\/([^/?#]+)\?notice=/;

/** The page's one `<h1>` says `text`. */
export async function assertHeading(page, text) {
  const h1 = page.locator('h1');
  await h1.first().waitFor();
  assert.equal(await h1.count(), 1, `one <h1> on ${page.url()}`);
  assert.equal((await h1.innerText()).trim(), text, `the heading of ${page.url()}`);
}

/** Goes to `target` and checks the answer was a 200. */
export async function visit(page, target) {
  const response = await page.goto(target);
  assert.equal(response.status(), 200, `GET ${target}`);
  return response;
}

/**
 * The page does not scroll sideways: the document is no wider than the
 * window. A failure names the innermost elements whose content sticks out.
 */
export async function assertNoOverflow(page) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const inner = window.innerWidth;
    const sticksOut = (el) => {
      if (el.getBoundingClientRect().right > inner + 0.5) return true;
      const s = getComputedStyle(el);
      return s.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1;
    };
    const all = [...document.body.querySelectorAll('*')].filter(sticksOut);
    const innermost = all.filter((el) => !all.some((other) => other !== el && el.contains(other)));
    const describe = (el) => {
      const r = el.getBoundingClientRect();
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : '';
      const text = (el.textContent || '').trim().slice(0, 50);
      return `<${el.tagName.toLowerCase()}${cls}> ${Math.round(r.width)} px box, ${el.scrollWidth} px content: "${text}"`;
    };
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: inner,
      culprits: innermost.slice(0, 3).map(describe),
    };
  });
  assert.ok(
    scrollWidth <= innerWidth,
    `${page.url()} is ${scrollWidth} px wide in a ${innerWidth} px window; too wide: ${culprits.join('; ')}`,
  );
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page; returns its violations of impact serious or
 * critical as `{ id, impact, help, targets }`. The context must have been
 * made with `bypassCSP: true`: Grove's CSP blocks the injected script.
 */
export async function axeSerious(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation: id, impact, the elements. */
export function describeViolations(where, violations) {
  return violations
    .map((v) => `${where}: ${v.id} (${v.impact}: ${v.help}) on ${v.targets.join(', ')}`)
    .join('\n');
}

/**
 * Calls the ops API (`ops.BASE_DOMAIN`) with the run's ops token, as an
 * operator's tool would; resolves to `{ status, json }`. Sent to loopback
 * with the Host header, since Node does not resolve `*.localhost` names.
 */
export function ops(method, path, body) {
  const token = process.env.GROVE_OPS_TOKEN;
  assert.ok(token, 'GROVE_OPS_TOKEN is not set: run the suite with scripts/browser.sh');
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        headers: {
          host: `ops.${BASE_DOMAIN}:${PORT}`,
          authorization: `Bearer ${token}`,
          'x-ops-actor': 'browser-suite',
          ...(data ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
