// Journey 3: an owner edits one post in two tabs. The first save wins; the
// second gets the conflict page, which keeps what was typed in that tab
// in its form (nothing is lost) and shows the other tab's text; saving
// again from there replaces it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHeading, fresh, launch, MEADOW, SAVED_POST, signIn, url, visit, writePost } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('the second of two tabs to save gets the conflict page, with its text kept', async () => {
  const { context, page: first } = await fresh(browser);
  try {
    await signIn(first, MEADOW);
    const id = await writePost(first, 'meadow', {
      title: 'Two Tabs',
      tags: 'notes',
      markdown: 'The text both tabs start from.',
    });
    const editor = url('meadow', `/admin/posts/${id}`);
    await visit(first, editor);
    const second = await context.newPage();
    await visit(second, editor);

    await first.getByLabel('Text (Markdown)').fill('Saved first, in tab one.');
    await first.getByRole('button', { name: 'Update', exact: true }).click();
    await first.waitForURL(SAVED_POST);
    assert.match(await first.getByRole('status').innerText(), /Published|Updated|Saved/);

    const mine = 'Typed in tab two while tab one saved.\n\nThis must not be lost.';
    await second.getByLabel('Title', { exact: true }).fill('Two Tabs, second take');
    await second.getByLabel('Text (Markdown)').fill(mine);
    await second.getByRole('button', { name: 'Update', exact: true }).click();
    await second.waitForLoadState();

    // The conflict page: their version shown, mine still in the form.
    const conflict = second.locator('section.conflict');
    await conflict.waitFor();
    assert.match(await conflict.getByRole('heading').innerText(), /changed elsewhere/);
    assert.match(await conflict.innerText(), /Saved first, in tab one\./);
    assert.equal(await second.getByLabel('Text (Markdown)').inputValue(), mine);
    assert.equal(await second.getByLabel('Title', { exact: true }).inputValue(), 'Two Tabs, second take');
    assert.ok(second.url().startsWith(editor), `the conflict page is the post's editor: ${second.url()}`);

    // Saving again from the conflict page replaces the other tab's text.
    await second.getByRole('button', { name: 'Update', exact: true }).click();
    await second.waitForURL(SAVED_POST);
    assert.equal(await second.locator('section.conflict').count(), 0);
    assert.equal(await second.getByLabel('Text (Markdown)').inputValue(), mine);

    const reader = await fresh(browser);
    try {
      await visit(reader.page, url('meadow', '/blog/two-tabs'));
      await assertHeading(reader.page, 'Two Tabs, second take');
      assert.match(await reader.page.locator('article .prose').innerText(), /This must not be lost\./);
    } finally {
      await reader.context.close();
    }
  } finally {
    await context.close();
  }
});
