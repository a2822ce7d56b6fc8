// Accessibility: axe-core on the pages readers and owners use, and on a
// blog's home and a rich post in every preset theme (axe's colour-contrast
// rule checks text against WCAG AA). No violation of impact serious or
// critical is allowed; a failure lists each one with its elements.
//
// Grove's pages send a strict CSP, which blocks the injected axe script:
// these contexts are made with `bypassCSP: true`, the journeys' are not.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUTUMN,
  MEADOW,
  axeSerious,
  describeViolations,
  fresh,
  launch,
  signIn,
  signUp,
  unique,
  url,
  visit,
} from './lib.mjs';

let browser;
let owner;
before(async () => {
  browser = await launch();
  owner = await fresh(browser, { bypassCSP: true });
  await signIn(owner.page, AUTUMN);
});
after(async () => {
  await owner?.context.close();
  await browser?.close();
});

async function check(page, where) {
  const found = await axeSerious(page);
  assert.equal(found.length, 0, `serious or critical axe violations:\n${describeViolations(where, found)}`);
}

const READER_PAGES = [
  ['the platform home', url(null, '/')],
  ['a blog home', url('autumn', '/')],
  ['the blog list', url('autumn', '/blog')],
  ['the list, page 2', url('autumn', '/blog?page=2')],
  ['search results', url('autumn', '/search?q=chutney')],
  ['a tag page', url('autumn', '/tags/seasons')],
  ['a post with code, a table and footnotes', url('autumn', '/blog/rust-on-the-edge')],
  ['a post with a task list', url('autumn', '/blog/slow-cooked-beans')],
  ['a page', url('autumn', '/about')],
  ['a post on Meadow Journal', url('meadow', '/blog/counting-bees')],
  ['sign in', url('auth', '/signin')],
  ['sign up', url('auth', '/signup')],
  ['the plans', url(null, '/pricing')],
  ['forgot password', url('auth', '/forgot')],
  ['the local outbox', url('auth', '/dev/outbox')],
];

for (const [name, target] of READER_PAGES) {
  test(`axe: ${name} (${target.replace(/^http:\/\//, '')})`, async () => {
    const { context, page } = await fresh(browser, { bypassCSP: true });
    try {
      await visit(page, target);
      await check(page, target);
    } finally {
      await context.close();
    }
  });
}

test('axe: a reset link that does not work (410)', async () => {
  const { context, page } = await fresh(browser, { bypassCSP: true });
  try {
    const response = await page.goto(url('auth', '/reset?token=nope'));
    assert.equal(response.status(), 410);
    await check(page, 'a reset link that does not work');
  } finally {
    await context.close();
  }
});

test('axe: the home signed in, the forgot answer, the new-password form, signed out', async () => {
  const { context, page } = await fresh(browser, { bypassCSP: true });
  try {
    await signIn(page, MEADOW);
    await visit(page, url(null, '/'));
    await check(page, 'the platform home, signed in');
    await page.goto(url('auth', '/forgot'));
    await page.getByLabel('Email').fill(MEADOW.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.waitForLoadState();
    await check(page, 'the forgot answer');
    let link;
    for (let i = 0; i < 40 && !link; i++) {
      await visit(page, url('auth', '/dev/outbox'));
      const mail = page.locator('article', { hasText: MEADOW.email });
      if ((await mail.count()) > 0) link = await mail.first().getByRole('link', { name: /\/reset\?token=/ }).getAttribute('href');
      else await page.waitForTimeout(250);
    }
    assert.ok(link, 'the reset mail is in the outbox');
    await visit(page, link);
    await check(page, 'the new-password form');
    await page.getByLabel('New password', { exact: true }).fill('one long new password');
    await page.getByLabel('New password, again').fill('another long new password');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('#password_again-error').innerText(), /not the same/);
    await check(page, 'the new-password form, refused');
    await visit(page, url('meadow', '/admin'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState();
    await check(page, 'signed out');
  } finally {
    await context.close();
  }
});

const ADMIN_PAGES = [
  ['the admin dashboard', '/admin'],
  ['the editor, new post', '/admin/posts/new'],
  ['settings', '/admin/settings'],
  ['the page editor', '/admin/pages/new'],
  ['the media library, with a file', '/admin/media'],
  ['the setup wizard, first step', '/admin/welcome?step=title'],
  ['the setup wizard, theme previews', '/admin/welcome?step=theme'],
  ['the setup wizard, first post', '/admin/welcome?step=post'],
  ['a theme preview', '/admin/welcome/preview/meadow'],
  ['the blog address', '/admin/settings/address'],
  ['the account: export and delete', '/admin/account'],
  ['the export: what the zip holds', '/admin/export'],
  ['import: the upload form', '/admin/import'],
  ['the plan and its usage', '/admin/plan'],
  ['custom domains, one verified', '/admin/domains'],
];

for (const [name, path] of ADMIN_PAGES) {
  test(`axe: ${name} (${path})`, async () => {
    await visit(owner.page, url('autumn', path));
    await check(owner.page, url('autumn', path));
  });
}

test('axe: the editor of a saved post, and its preview', async () => {
  const page = owner.page;
  await visit(page, url('autumn', '/admin'));
  await page.getByRole('link', { name: 'Rust on the Edge', exact: true }).click();
  await page.waitForURL(/\/admin\/posts\/[^/]+$/);
  await check(page, `${page.url()} (editor)`);
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.waitForLoadState();
  await check(page, `${page.url()} (preview)`);
});

test('axe: a refused save (errors shown next to the fields)', async () => {
  const page = owner.page;
  await visit(page, url('autumn', '/admin/posts/new'));
  await page.getByLabel('Title', { exact: true }).fill('Scheduled without a date');
  await page.getByLabel('Text (Markdown)').fill('Text.');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.waitForLoadState();
  await check(page, `${page.url()} (refused schedule)`);
});

// Every preset theme, on a blog of its own (default accent colour) with a
// post that uses most of Markdown.
const RICH_POST = `A paragraph with a [link](https://example.com/), *emphasis* and \`code\`.

## A heading

> A quotation.

| Left | Right |
|:-----|------:|
| one  |   two |

\`\`\`rust
fn main() { println!("a long enough line of code to scroll sideways on a phone, surely"); }
\`\`\`

- [x] done
- [ ] not yet

A footnote.[^1]

[^1]: The note.
`;

test('axe: every preset theme, on a home page and a rich post', async (t) => {
  const { context, page } = await fresh(browser, { bypassCSP: true });
  try {
    const name = unique('themes');
    await signUp(page, name, 'Theme Check');
    await page.goto(url(name, '/admin/posts/new'));
    await page.getByLabel('Title', { exact: true }).fill('Everything at once');
    await page.getByLabel('Text (Markdown)').fill(RICH_POST);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForURL(/notice=published/);
    const themes = await page.goto(url(name, '/admin/settings')).then(() =>
      page.getByLabel('Theme').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean)),
    );
    assert.ok(themes.length >= 3, `the presets: ${themes}`);
    for (const theme of themes) {
      await t.test(`theme ${theme}`, async () => {
        await visit(page, url(name, '/admin/settings'));
        await page.getByLabel('Theme').selectOption(theme);
        await page.getByRole('button', { name: 'Save settings' }).click();
        await page.waitForURL(/notice=saved/);
        const reader = await fresh(browser, { bypassCSP: true });
        try {
          const found = [];
          for (const path of ['/', '/blog/everything-at-once']) {
            await visit(reader.page, url(name, path));
            const here = await axeSerious(reader.page);
            if (here.length) found.push(describeViolations(`${theme} ${path}`, here));
          }
          assert.equal(found.length, 0, `serious or critical axe violations:\n${found.join('\n')}`);
        } finally {
          await reader.context.close();
        }
      });
    }
  } finally {
    await context.close();
  }
});
