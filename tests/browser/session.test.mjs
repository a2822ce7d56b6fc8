// Journey 4: the owner signs out. `/admin` then asks them to sign in and
// afterwards brings them back where they were; and text typed in the
// editor before the session ended, then saved, comes back after sign-in
// (the held submission of router/src/held.rs) and can be sent on.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertHeading,
  at,
  fillSignIn,
  fresh,
  launch,
  MEADOW,
  SAVED_POST,
  signIn,
  signOut,
  url,
  visit,
} from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('after signing out, the admin asks to sign in and then brings the owner back', async () => {
  const { context, page } = await fresh(browser);
  try {
    await signIn(page, MEADOW);
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(url('meadow', '/admin/settings'));
    await signOut(page);

    await page.goto(url('meadow', '/admin/settings'));
    assert.ok(
      page.url().startsWith(url('auth', '/signin?return_to=')),
      `the admin sends a signed-out owner to sign in: ${page.url()}`,
    );
    await fillSignIn(page, MEADOW);
    await page.waitForURL(url('meadow', '/admin/settings'));
    await assertHeading(page, 'Settings');
    assert.equal(await page.getByLabel('Site title').inputValue(), 'Meadow Journal');

    // The same for a bare /admin.
    await signOut(page);
    await page.goto(url('meadow', '/admin'));
    await fillSignIn(page, MEADOW);
    await page.waitForURL(at('meadow', '/admin'));
    assert.match(await page.getByRole('banner').innerText(), /Signed in as\s+meadow@grove\.localhost/);
  } finally {
    await context.close();
  }
});

test('a draft saved after the session ended elsewhere comes back after sign-in', async () => {
  const { context, page: editor } = await fresh(browser);
  try {
    await signIn(editor, MEADOW);
    await visit(editor, url('meadow', '/admin/posts/new'));
    const title = 'Written While Signed Out';
    const text = 'Two paragraphs & a sum: 1 + 1 = 2.\n\nTyped before the session ended elsewhere.';
    await editor.getByLabel('Title', { exact: true }).fill(title);
    await editor.getByLabel('Tags').fill('kept');
    await editor.getByLabel('Text (Markdown)').fill(text);

    // Another tab signs out; the editor's tab does not know.
    const other = await context.newPage();
    await visit(other, url('meadow', '/admin'));
    await signOut(other);
    await other.close();

    await editor.getByRole('button', { name: 'Save draft' }).click();
    await editor.waitForURL((u) => u.host === new URL(url('auth')).host && u.pathname === '/signin');
    await fillSignIn(editor, MEADOW);
    await editor.waitForURL((u) => u.pathname === '/admin/resume');
    await assertHeading(editor, 'Your unsaved work');
    const kept = editor.getByRole('region', { name: 'What you sent' });
    assert.equal(await kept.getByLabel('title', { exact: true }).inputValue(), title);
    assert.equal(await kept.getByLabel('markdown', { exact: true }).inputValue(), text);

    await editor.locator('button[name="do"][value="send"]').click();
    await editor.waitForURL(SAVED_POST);
    assert.match(await editor.getByRole('status').innerText(), /draft/i);
    assert.equal(await editor.getByLabel('Title', { exact: true }).inputValue(), title);
    assert.equal(await editor.getByLabel('Text (Markdown)').inputValue(), text);
    assert.equal(await editor.getByLabel('Tags').inputValue(), 'kept');
  } finally {
    await context.close();
  }
});
