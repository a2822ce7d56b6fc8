// Journey: links never break, and search engines hear what the owner
// wants. A writer publishes a post, a reader keeps its address; the writer
// renames the post's slug in the editor, which says the old address now
// redirects; the reader follows the old link and lands on the post at its
// new address, whose head tells link previews what it is. An old
// `/blog?tag=` link lands on the tag's page. The writer then asks search
// engines to stay away, and robots.txt and the pages say so.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertHeading, axeSerious, describeViolations, fresh, launch, SAVED_POST, signUp, unique, url, visit, writePost,
} from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('a renamed post is found at its old address, and the owner can keep search engines away', async () => {
  const writer = await fresh(browser, { bypassCSP: true });
  const reader = await fresh(browser);
  try {
    const page = writer.page;
    const name = unique('moves');
    await signUp(page, name, 'Moving Notes');
    const id = await writePost(page, name, {
      title: 'Packing Boxes',
      tags: 'moving',
      markdown: 'Tape, markers and **patience**.\n\n![A box](/media/0123456789abcdef.png)',
    });

    // A reader keeps the post's address.
    const r = reader.page;
    const oldAddress = url(name, '/blog/packing-boxes');
    await visit(r, oldAddress);
    await assertHeading(r, 'Packing Boxes');

    // The writer gives the post a new slug; the editor says what happens
    // to the old address.
    await page.goto(url(name, `/admin/posts/${id}`));
    await page.getByLabel('Slug').fill('boxes-packed');
    await page.getByRole('button', { name: 'Update', exact: true }).click();
    await page.waitForURL(SAVED_POST);
    assert.match(await page.getByRole('status').innerText(), /The old address now redirects here/);
    assert.match(await page.locator('#old-addresses').innerText(), /\/blog\/packing-boxes now redirects here/);
    const violations = await axeSerious(page);
    assert.deepEqual(violations, [], describeViolations('the editor of a renamed post', violations));

    // The reader's old link still works: it lands on the new address.
    const response = await r.goto(oldAddress);
    assert.equal(response.status(), 200);
    assert.equal(r.url(), url(name, '/blog/boxes-packed'));
    await assertHeading(r, 'Packing Boxes');
    const meta = (selector) => r.locator(selector).getAttribute('content');
    assert.equal(await meta('meta[property="og:title"]'), 'Packing Boxes');
    assert.equal(await meta('meta[property="og:url"]'), url(name, '/blog/boxes-packed'));
    assert.equal(await meta('meta[property="og:image"]'), url(name, '/media/0123456789abcdef.png'));
    assert.equal(await meta('meta[property="og:description"]'), 'Tape, markers and patience.');
    const ld = JSON.parse(await r.locator('script[type="application/ld+json"]').textContent());
    assert.equal(ld['@type'], 'BlogPosting');
    assert.equal(ld.headline, 'Packing Boxes');

    // An old tag link lands on the tag's page.
    await r.goto(url(name, '/blog?tag=moving'));
    assert.equal(r.url(), url(name, '/tags/moving'));
    await assertHeading(r, 'Posts tagged #moving (1)');

    // The sitemap lists the post at its new address only.
    const sitemap = await r.goto(url(name, '/sitemap.xml'));
    const xml = await sitemap.text();
    assert.ok(xml.includes(`<loc>${url(name, '/blog/boxes-packed')}</loc>`), xml);
    assert.ok(!xml.includes('packing-boxes'), xml);

    // The owner asks search engines to stay away.
    await visit(page, url(name, '/admin/settings'));
    await page.getByLabel('Discourage search engines from indexing this blog').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(url(name, '/admin/settings?notice=saved'));
    assert.ok(await page.getByLabel('Discourage search engines from indexing this blog').isChecked());
    const robots = await r.goto(url(name, '/robots.txt'));
    assert.match(await robots.text(), /^Disallow: \/$/m);
    await visit(r, url(name, '/blog/boxes-packed'));
    assert.equal(await meta('meta[name="robots"]'), 'noindex');
  } finally {
    await writer.context.close();
    await reader.context.close();
  }
});
