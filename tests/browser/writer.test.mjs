// Journey 2: a new user signs up, goes through the welcome Grove gives
// (the empty admin, which points to the first post), writes and publishes
// a post by typing into the editor, and a reader in another browser
// context, not signed in, sees it on the blog at once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHeading, fresh, launch, SAVED_POST, signUp, unique, url, visit } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('a new user signs up, publishes a first post, and a reader sees it and finds it by search at once', async () => {
  const writer = await fresh(browser);
  const reader = await fresh(browser);
  try {
    const page = writer.page;
    const name = unique('first');
    await signUp(page, name, 'First Light');

    // The welcome: an empty admin that points to the first post.
    assert.match(await page.locator('main').innerText(), /No posts yet/);
    assert.match(await page.getByRole('banner').innerText(), new RegExp(`Signed in as\\s+${name}@example.com`));
    await page.getByRole('link', { name: 'Write your first post' }).click();
    await page.waitForURL(url(name, '/admin/posts/new'));
    await assertHeading(page, 'New post');

    // Typed, key by key, as a writer does.
    await page.getByLabel('Title', { exact: true }).pressSequentially('Morning, world');
    await page.getByLabel('Tags').pressSequentially('hello, firsts');
    const text = page.getByLabel('Text (Markdown)');
    await text.pressSequentially('The **first** post, written in a browser.');
    await text.press('Enter');
    await text.press('Enter');
    await text.pressSequentially('- one\n- two');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForURL(SAVED_POST);
    assert.match(await page.getByRole('status').innerText(), /Published/);
    assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Morning, world');

    // The dashboard lists it as published.
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Posts & pages' }).click();
    await page.waitForURL(url(name, '/admin'));
    const row = page.getByRole('row', { name: /Morning, world/ });
    assert.match(await row.innerText(), /published/);

    // Another browser, not signed in: the blog shows it straight away.
    const r = reader.page;
    await visit(r, url(name));
    await assertHeading(r, 'First Light');
    await r.getByRole('link', { name: 'Morning, world' }).click();
    await r.waitForURL(url(name, '/blog/morning-world'));
    await assertHeading(r, 'Morning, world');
    assert.equal(await r.locator('article strong').innerText(), 'first');
    assert.deepEqual(await r.locator('article li').allInnerTexts(), ['one', 'two']);
    assert.match(await r.locator('.byline').innerText(), /#hello\s+#firsts/);
    await visit(r, url(name, '/blog'));
    assert.deepEqual(await r.locator('article.summary h2').allInnerTexts(), ['Morning, world']);
    assert.equal(await r.getByRole('button', { name: 'Sign out' }).count(), 0, 'the reader is anonymous');

    // The blog's search box finds it at once, by a word of its text.
    const box = r.getByRole('search').first().getByRole('searchbox', { name: 'Search this blog' });
    await box.fill('browser');
    await box.press('Enter');
    await r.waitForURL(url(name, '/search?q=browser'));
    assert.match(await r.locator('main').innerText(), /1 result/);
    await r.getByRole('link', { name: 'Morning, world' }).click();
    await r.waitForURL(url(name, '/blog/morning-world'));
  } finally {
    await writer.context.close();
    await reader.context.close();
  }
});
