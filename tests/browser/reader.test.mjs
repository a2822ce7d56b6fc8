// Journey 1: a reader browses a blog by following its links, as a person
// would: home → blog → post → about, the next page of the list, and a tag.
// Autumn Notes (seeds/demo.toml) is only read by the suite, never written,
// so its list is the seed's: 7 published posts, 5 a page.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHeading, fresh, launch, url, visit } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** The titles of the post summaries on a list page, in order. */
function summaries(page) {
  return page.locator('article.summary h2').allInnerTexts();
}

test('a reader browses home, the blog, a post, the about page and the next page of the list', async () => {
  const { context, page } = await fresh(browser);
  try {
    await visit(page, url('autumn'));
    await assertHeading(page, 'Autumn Notes');
    assert.equal(await page.title(), 'Autumn Notes');
    const recent = await summaries(page);
    assert.equal(recent[0], 'A Tiny Static Site Generator', 'newest first');
    assert.ok(!recent.includes('Unfinished Thoughts on Winter'), 'drafts are not shown');

    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Blog' }).click();
    await page.waitForURL(url('autumn', '/blog'));
    await assertHeading(page, 'Blog');
    const first = await summaries(page);
    assert.deepEqual(first, [
      'A Tiny Static Site Generator',
      'Green Tomato Chutney',
      'The First Frost',
      'Markdown Tables for Humans',
      'Slow-Cooked Beans',
    ]);
    const pagination = page.getByRole('navigation', { name: 'Pagination' });
    assert.match(await pagination.innerText(), /Page 1 of 2/);

    await page.getByRole('link', { name: 'Markdown Tables for Humans' }).click();
    await page.waitForURL(url('autumn', '/blog/markdown-tables-for-humans'));
    await assertHeading(page, 'Markdown Tables for Humans');
    assert.match(await page.locator('.byline').innerText(), /September 16, 2026|16 September 2026/);
    const table = page.locator('article table');
    assert.equal(await table.locator('tbody tr').count(), 2, 'the Markdown table is rendered');
    assert.match(await page.locator('article del, article s').first().innerText(), /tables are hard/);

    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'About' }).click();
    await page.waitForURL(url('autumn', '/about'));
    await assertHeading(page, 'About');

    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Blog' }).click();
    await page.waitForURL(url('autumn', '/blog'));
    await pagination.getByRole('link', { name: /Older/ }).click();
    await page.waitForURL(url('autumn', '/blog?page=2'));
    assert.match(await pagination.innerText(), /Page 2 of 2/);
    assert.deepEqual(await summaries(page), ['Rust on the Edge', 'Hello, Autumn']);
    assert.equal(await pagination.getByRole('link', { name: /Older/ }).count(), 0, 'the last page');

    await page.getByRole('link', { name: 'Hello, Autumn' }).click();
    await page.waitForURL(url('autumn', '/blog/hello-autumn'));
    await assertHeading(page, 'Hello, Autumn');
    await page.getByRole('link', { name: '← All posts' }).click();
    await page.waitForURL(url('autumn', '/blog'));

    await page.goBack();
    await page.goBack();
    await page.waitForURL(url('autumn', '/blog?page=2'));
    await pagination.getByRole('link', { name: /Newer/ }).click();
    await page.waitForURL(url('autumn', '/blog'));
    assert.deepEqual(await summaries(page), first);
  } finally {
    await context.close();
  }
});

test('a reader follows a tag to the other posts that carry it', async () => {
  const { context, page } = await fresh(browser);
  try {
    await visit(page, url('autumn', '/blog/green-tomato-chutney'));
    const tag = page.locator('.byline .tags').getByRole('link', { name: '#seasons' });
    assert.equal(await tag.count(), 1, 'the tag #seasons is a link');
    await tag.click();
    await page.waitForURL(url('autumn', '/tags/seasons'));
    await assertHeading(page, 'Posts tagged #seasons (2)');
    const titles = await summaries(page);
    assert.deepEqual(titles, ['Green Tomato Chutney', 'The First Frost'], 'the draft is not listed');
    await page.getByRole('link', { name: 'The First Frost' }).click();
    await page.waitForURL(url('autumn', '/blog/the-first-frost'));
    await assertHeading(page, 'The First Frost');
  } finally {
    await context.close();
  }
});

test('a reader searches the blog and follows a result', async () => {
  const { context, page } = await fresh(browser);
  try {
    await visit(page, url('autumn', '/blog/the-first-frost'));
    const box = page.getByRole('search').first().getByRole('searchbox', { name: 'Search this blog' });
    await box.fill('chutney');
    await box.press('Enter');
    await page.waitForURL(url('autumn', '/search?q=chutney'));
    await assertHeading(page, 'Search');
    const titles = await page.locator('.result h2').allInnerTexts();
    assert.equal(titles[0], 'Green Tomato Chutney', 'the title match comes first');
    assert.ok(titles.includes('The First Frost'), 'a body match is found too');
    assert.ok((await page.locator('.result mark').count()) > 0, 'matches are marked');
    await page.getByRole('link', { name: 'Green Tomato Chutney' }).click();
    await page.waitForURL(url('autumn', '/blog/green-tomato-chutney'));
  } finally {
    await context.close();
  }
});

test('a page that does not exist says so, with a way back', async () => {
  const { context, page } = await fresh(browser);
  try {
    const response = await page.goto(url('autumn', '/blog/no-such-post'));
    assert.equal(response.status(), 404);
    await page.getByRole('link', { name: 'browse all posts' }).click();
    await page.waitForURL(url('autumn', '/blog'));
    await assertHeading(page, 'Blog');
  } finally {
    await context.close();
  }
});
