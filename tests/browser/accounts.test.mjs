// Journey: the way in. From Grove's home a newcomer starts a blog and
// lands on the setup wizard's address; the home then shows them the way
// to their admin. They sign out and are offered the way back to the blog
// and signing in again. Later they forget their password: "Forgot
// password?", the link from the local outbox page, a new password, and
// signing in with it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHeading, at, fillSignIn, fillSignUp, fresh, launch, signOut, unique, url, visit } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('a newcomer starts a blog from the home page, signs out, and resets a forgotten password', async () => {
  const { context, page } = await fresh(browser);
  try {
    const name = unique('wayin');
    await visit(page, url(null, '/'));
    await page.getByRole('link', { name: 'Start a blog' }).click();
    await page.waitForURL(at('auth', '/signup'));
    const owner = await fillSignUp(page, name, 'Way In');
    assert.equal(page.url(), url(name, '/admin/welcome'), 'sign-up lands on the setup wizard');

    // The blog exists and its owner is signed in.
    await visit(page, url(name, '/admin'));
    assert.match(await page.getByRole('banner').innerText(), new RegExp(`Signed in as\\s+${owner.email}`));

    // The home page now shows the way to the admin, not the way in.
    await visit(page, url(null, '/'));
    assert.equal(await page.getByRole('link', { name: 'Start a blog' }).count(), 0);
    await page.getByRole('link', { name: "Go to your blog's admin" }).click();
    await page.waitForURL(at(name, '/admin'));

    // Signing out offers signing in again, back to the admin...
    await signOut(page);
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await fillSignIn(page, owner);
    await page.waitForURL(at(name, '/admin'));
    // ... and the way back to the blog.
    await signOut(page);
    const host = `${name}.${new URL(url(null)).host}`;
    await page.getByRole('link', { name: `Back to ${host}` }).click();
    await page.waitForURL(at(name, '/'));
    await assertHeading(page, 'Way In');

    // A forgotten password.
    await page.goto(url('auth', '/signin'));
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(at('auth', '/forgot'));
    await assertHeading(page, 'Forgot your password?');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await assertHeading(page, 'Check your email');
    assert.match(await page.getByRole('status').innerText(), /If an account exists for/);

    // The mail, on the local outbox page (it is sent just after the answer).
    let link;
    for (let i = 0; i < 40 && !link; i++) {
      await visit(page, url('auth', '/dev/outbox'));
      const mail = page.locator('article', { hasText: owner.email });
      if ((await mail.count()) > 0) link = mail.first().getByRole('link', { name: /\/reset\?token=/ });
      else await page.waitForTimeout(250);
    }
    assert.ok(link, 'the reset mail is in the outbox');
    await link.click();
    await assertHeading(page, 'Choose a new password');
    const renewed = { ...owner, password: `renewed-${name}-password` };
    await page.getByLabel('New password', { exact: true }).fill(renewed.password);
    await page.getByLabel('New password, again').fill(renewed.password);
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.waitForURL(at(name, '/admin'));

    // Signed in afresh; and the new password is the one that works.
    await signOut(page);
    await page.goto(url('auth', '/signin'));
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /do not match/);
    await page.goto(url('auth', '/signin'));
    await fillSignIn(page, renewed);
    await page.waitForURL(at(name, '/admin'));
  } finally {
    await context.close();
  }
});
