// On a phone (390 px wide) no page scrolls sideways: the document is never
// wider than the window. Reader pages with code, tables and long words,
// the auth pages, and the admin.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoOverflow,
  AUTUMN,
  fresh,
  launch,
  MEADOW,
  PHONE,
  signIn,
  url,
  visit,
  writePost,
} from './lib.mjs';

let browser;
let owner;
let longPost;
before(async () => {
  browser = await launch();
  owner = await fresh(browser, { viewport: PHONE });
  await signIn(owner.page, MEADOW);
  // A post with a long link and a long word, as writers paste them.
  const id = await writePost(owner.page, 'meadow', {
    title: 'Links From the Survey',
    markdown:
      'The full record: https://example.com/surveys/2026/meadow/transect-b/saturday-counts/bumblebees-and-hoverflies-by-species.csv\n\n' +
      'Its German name is Wiesenklappertopfbestäubungsbeobachtungsprotokoll, apparently.\n',
  });
  longPost = { id, path: '/blog/links-from-the-survey' };
});
after(async () => {
  await owner?.context.close();
  await browser?.close();
});

const READER_PAGES = [
  url(null, '/'),
  url('autumn', '/'),
  url('autumn', '/blog'),
  url('autumn', '/tags/seasons'),
  url('autumn', '/blog/rust-on-the-edge'),
  url('autumn', '/blog/markdown-tables-for-humans'),
  url('autumn', '/blog/green-tomato-chutney'),
  url('autumn', '/about'),
  url('meadow', '/'),
  url('meadow', '/blog/counting-bees'),
  url('auth', '/signin'),
  url('auth', '/signup'),
  url(null, '/pricing'),
  url('auth', '/forgot'),
  url('auth', '/dev/outbox'),
];

for (const target of READER_PAGES) {
  test(`phone: ${target} fits the width`, async () => {
    const { context, page } = await fresh(browser, { viewport: PHONE });
    try {
      await visit(page, target);
      await assertNoOverflow(page);
    } finally {
      await context.close();
    }
  });
}

test('phone: a reset link that does not work (410) fits the width', async () => {
  const { context, page } = await fresh(browser, { viewport: PHONE });
  try {
    const response = await page.goto(url('auth', '/reset?token=nope'));
    assert.equal(response.status(), 410);
    await assertNoOverflow(page);
  } finally {
    await context.close();
  }
});

test('phone: the new-password form a reset link opens fits the width', async () => {
  const { context, page } = await fresh(browser, { viewport: PHONE });
  try {
    await visit(page, url('auth', '/forgot'));
    await page.getByLabel('Email').fill(AUTUMN.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.waitForLoadState();
    await assertNoOverflow(page);
    let link;
    for (let i = 0; i < 40 && !link; i++) {
      await visit(page, url('auth', '/dev/outbox'));
      const mail = page.locator('article', { hasText: AUTUMN.email });
      if ((await mail.count()) > 0) link = await mail.first().getByRole('link', { name: /\/reset\?token=/ }).getAttribute('href');
      else await page.waitForTimeout(250);
    }
    assert.ok(link, 'the reset mail is in the outbox');
    await assertNoOverflow(page);
    await visit(page, link);
    await assertNoOverflow(page);
  } finally {
    await context.close();
  }
});

test('phone: a post with a long link and a long word fits the width', async () => {
  const { context, page } = await fresh(browser, { viewport: PHONE });
  try {
    await visit(page, url('meadow', longPost.path));
    await assertNoOverflow(page);
  } finally {
    await context.close();
  }
});

for (const path of [
  '/admin',
  '/admin/posts/new',
  '/admin/settings',
  '/admin/media',
  '/admin/plan',
  '/admin/domains',
  '/admin/welcome?step=title',
  '/admin/welcome?step=theme',
  '/admin/welcome?step=post',
  '/admin/settings/address',
  '/admin/account',
  '/admin/export',
  '/admin/import',
]) {
  test(`phone: the admin's ${path} fits the width`, async () => {
    await visit(owner.page, url('meadow', path));
    await assertNoOverflow(owner.page);
  });
}

test("phone: the editor of a post with a long link fits the width", async () => {
  await visit(owner.page, url('meadow', `/admin/posts/${longPost.id}`));
  await assertNoOverflow(owner.page);
});

test('phone: the question before a delete, naming a long address, fits the width', async () => {
  await visit(owner.page, url('meadow', `/admin/posts/${longPost.id}/delete`));
  await assertNoOverflow(owner.page);
});
