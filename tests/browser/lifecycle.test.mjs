// Journey 7: a blog's life after sign-up. A new owner walks the setup
// wizard (names the blog, looks at the previews of the home page in each
// theme and picks one, skips the first post), sees the checklist on the
// dashboard, renames the blog (the old address leads to the new one and
// they stay signed in), downloads the export and deletes the blog with
// their password; readers then find no blog at either address.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { assertHeading, at, fresh, launch, unique, url, visit } from './lib.mjs';
import { unzip } from './zip.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Signs up for `name`; answers the owner (wherever sign-up lands them). */
async function signUpFor(page, name) {
  const owner = { name, email: `${name}@example.com`, password: `pw-${name}-long-enough` };
  await page.goto(url('auth', '/signup'));
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByLabel('Blog address').fill(name);
  await page.getByLabel('Blog title').fill('Untitled');
  await page.getByRole('button', { name: 'Create blog' }).click();
  await page.waitForURL(new RegExp(`^${url(name, '/admin').replace(/[.?]/g, '\\$&')}(/welcome)?$`));
  return owner;
}

test('an owner sets up a blog, renames it, exports it and deletes it', async () => {
  const { context, page } = await fresh(browser);
  const reader = await fresh(browser);
  try {
    const name = unique('life');
    const owner = await signUpFor(page, name);

    // The wizard, step 1: what the blog is called and what it is about.
    await visit(page, url(name, '/admin/welcome'));
    await assertHeading(page, 'Set up your blog');
    await page.getByLabel('Site title').fill('');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    assert.equal(await page.getByLabel('Site title').evaluate((el) => el.validity.valueMissing), true, 'the browser asks for a title');
    await page.getByLabel('Site title').fill('Lifecycle Notes');
    await page.getByLabel('Description').fill('From sign-up to goodbye.');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(at(name, '/admin/welcome?step=theme'));

    // Step 2: each theme's preview is the blog's own home page.
    const frames = page.locator('iframe');
    assert.equal(await frames.count(), 3);
    const midnight = page.frameLocator('iframe[title="Your home page in the Midnight theme"]');
    await midnight.locator('body').getByText('From sign-up to goodbye.').waitFor();
    const background = await midnight.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(background, 'rgb(17, 21, 28)', 'Midnight looks like Midnight');
    const paper = page.frameLocator('iframe[title="Your home page in the Paper theme"]');
    assert.notEqual(await paper.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), background);
    await page.getByLabel('Midnight', { exact: true }).check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(at(name, '/admin/welcome?step=post'));

    // Step 3: the editor, or an import; the post is skipped.
    assert.equal(await page.getByRole('link', { name: 'Import your posts' }).getAttribute('href'), '/admin/import');
    await page.getByRole('button', { name: 'Skip this step' }).click();
    await page.waitForURL(at(name, '/admin'));
    const checklist = page.getByRole('region', { name: 'Get your blog ready' });
    assert.match(await checklist.innerText(), /2 of 3 steps done/);
    await checklist.getByRole('link', { name: 'Publish a first post' }).click();
    await page.waitForURL(at(name, '/admin/welcome?step=post'));

    // Readers see the title and the theme.
    await visit(reader.page, url(name, '/'));
    await assertHeading(reader.page, 'Lifecycle Notes');
    assert.equal(await reader.page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), background);

    // Rename, from Settings: still signed in on the new address.
    const renamed = unique('moved');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('New address').fill(renamed);
    await page.getByRole('button', { name: 'Change address' }).click();
    await page.waitForURL(at(renamed, '/admin/settings/address?notice=renamed'));
    assert.match(await page.getByRole('status').innerText(), /Renamed/);
    assert.match(await page.getByRole('banner').innerText(), new RegExp(`Signed in as\\s+${owner.email}`));
    // The old address leads readers to the new one.
    await visit(reader.page, url(name, '/?from=old'));
    assert.equal(reader.page.url(), url(renamed, '/?from=old'));
    await assertHeading(reader.page, 'Lifecycle Notes');

    // Export first: a zip named for the blog and the day.
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Account' }).click();
    await assertHeading(page, 'Account');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the export' }).click(),
    ]);
    assert.match(download.suggestedFilename(), new RegExp(`^grove-${renamed}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    const exported = JSON.parse(unzip(await readFile(await download.path())).get('settings.json').toString('utf8'));
    assert.equal(exported.format, 'grove-export');
    assert.equal(exported.blog.title, 'Lifecycle Notes');
    assert.equal(exported.settings.theme, 'midnight');

    // Delete: a wrong password is refused and nothing changes...
    await page.getByLabel('Your password').fill('not my password');
    await page.getByLabel(`Type ${renamed} to confirm`).fill(renamed);
    await page.getByRole('button', { name: 'Delete this blog for good' }).click();
    assert.match(await page.locator('.error-banner').innerText(), /That is not your password/);
    assert.equal(await page.getByLabel(`Type ${renamed} to confirm`).inputValue(), renamed, 'what was typed stays');
    await visit(reader.page, url(renamed, '/'));
    // ...the right one deletes it.
    await page.getByLabel('Your password').fill(owner.password);
    await page.getByRole('button', { name: 'Delete this blog for good' }).click();
    await assertHeading(page, 'Your blog is deleted');
    assert.match(await page.locator('main').innerText(), new RegExp(`The address ${renamed} stays reserved until`));

    // Readers find no blog at either address; the owner is signed out.
    for (const blog of [renamed, name]) {
      const gone = await reader.page.goto(url(blog, '/'));
      assert.equal(gone.status(), 404, blog);
      await assertHeading(reader.page, 'No blog here');
    }
    const cookies = await context.cookies();
    assert.equal(cookies.filter((c) => c.name === 'grove_session' && c.value).length, 0, 'signed out');
  } finally {
    await context.close();
    await reader.context.close();
  }
});
