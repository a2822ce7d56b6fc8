// Journey: an owner moving from WordPress brings their posts in. From the
// admin's Import page they choose their WordPress export, see what would
// happen (new posts, what is skipped and why, the script removed from one
// post) with nothing written yet, confirm, and a reader finds the posts
// on the blog. Choosing the same file again finds nothing new to import.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AUTUMN, assertHeading, axeSerious, describeViolations, fresh, launch, signIn, signUp, unique, url, visit } from './lib.mjs';

const WXR = readFileSync(new URL('../../shared/tests/fixtures/import/wordpress.xml', import.meta.url));

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('an owner previews a WordPress export, imports it, and a reader finds the posts', async () => {
  const owner = await fresh(browser);
  const reader = await fresh(browser);
  try {
    const page = owner.page;
    const name = unique('moving');
    await signUp(page, name, 'Garden Notes');

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Import' }).click();
    await page.waitForURL(url(name, '/admin/import'));
    await assertHeading(page, 'Import');

    // A file that is none of the formats: the form comes back and says why.
    await page.getByLabel('File to import').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some text') });
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await assertHeading(page, 'Import');
    assert.match(await page.getByRole('alert').innerText(), /front matter/);

    await page.getByLabel('File to import').setInputFiles({ name: 'wordpress.xml', mimeType: 'text/xml', buffer: WXR });
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await assertHeading(page, 'Import: preview');
    assert.match(await page.getByRole('status').innerText(), /Ready to import: 4 new items; 2 items skipped/);
    const main = await page.locator('main').innerText();
    assert.match(main, /Seed catalogue & notes/);
    assert.match(main, /scripts or event handlers: they were removed on import/);
    assert.match(main, /In WordPress's trash/);
    assert.match(main, /1 media attachment was not imported/);

    // Nothing is on the blog before confirming.
    const before = await reader.page.goto(url(name, '/blog/hello-from-the-garden'));
    assert.equal(before.status(), 404);

    await page.getByRole('button', { name: 'Import 4 items' }).click();
    await assertHeading(page, 'Import: done');
    assert.match(await page.getByRole('status').innerText(), /Imported: 4 new items/);

    await visit(reader.page, url(name, '/blog'));
    await reader.page.getByRole('link', { name: 'Hello from the garden' }).click();
    await reader.page.waitForURL(url(name, '/blog/hello-from-the-garden'));
    await assertHeading(reader.page, 'Hello from the garden');
    assert.match(await reader.page.locator('main').innerText(), /The first shoots are up\./);

    // The same file again: nothing new.
    await page.getByRole('link', { name: 'Import another file' }).click();
    await page.getByLabel('File to import').setInputFiles({ name: 'wordpress.xml', mimeType: 'text/xml', buffer: WXR });
    await page.getByRole('button', { name: 'Preview the import' }).click();
    assert.match(await page.getByRole('status').innerText(), /Nothing to import; 4 items already on the blog/);
    assert.equal(await page.getByRole('button', { name: /^Import \d/ }).count(), 0);
  } finally {
    await owner.context.close();
    await reader.context.close();
  }
});

// Accessibility of the pages only an upload reaches (the form itself is
// in axe.test.mjs's list): axe needs a context that bypasses the CSP.
test('axe: the import form with a refused file, and the preview (nothing written)', async () => {
  const { context, page } = await fresh(browser, { bypassCSP: true });
  const check = async (where) => {
    const found = await axeSerious(page);
    assert.equal(found.length, 0, `serious or critical axe violations:\n${describeViolations(where, found)}`);
  };
  try {
    await signIn(page, AUTUMN);
    await visit(page, url('autumn', '/admin/import'));
    await page.getByLabel('File to import').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just text') });
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.waitForLoadState();
    await check('the import form, file refused');
    await page.getByLabel('File to import').setInputFiles({ name: 'wordpress.xml', mimeType: 'text/xml', buffer: WXR });
    await page.getByRole('button', { name: 'Preview the import' }).click();
    await assertHeading(page, 'Import: preview');
    await check('the import preview');
  } finally {
    await context.close();
  }
});
