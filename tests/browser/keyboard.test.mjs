// Journey 5, keyboard only: the owner signs in, opens the editor, fills it
// in and publishes with Tab and Enter alone, and at every stop the focused
// element shows a visible focus indicator (an outline or a box-shadow).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHeading, fresh, launch, MEADOW, SAVED_POST, url, visit } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** What has the focus, and whether it is drawn. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { what: 'nothing (the body)', visible: false };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow !== '' && s.boxShadow !== 'none';
    // A date or time input's last Tab stop is its calendar button, inside
    // the browser's own shadow tree: the input is then `:focus-within`
    // only, and Chromium draws its own ring on the button, whose style the
    // page cannot read.
    const pickerButton =
      /^(date|datetime-local|month|time|week)$/.test(el.type) && el.matches(':focus-within') && !el.matches(':focus');
    const text = (el.innerText || el.value || '').trim().slice(0, 40);
    return {
      id: el.id,
      tag: el.tagName.toLowerCase(),
      text,
      what: `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}> "${text}" (outline: ${s.outline}; box-shadow: ${s.boxShadow})`,
      visible: outline || shadow || pickerButton,
    };
  });
}

/**
 * Presses Tab until `wanted(focus)` holds, checking at every stop that
 * the focus is visible; fails after `max` presses.
 */
async function tabTo(page, name, wanted, max = 40) {
  const path = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    path.push(f.what);
    assert.ok(f.visible, `focus is visible on ${f.what} at ${page.url()}`);
    if (wanted(f)) return f;
  }
  assert.fail(`Tab did not reach ${name} at ${page.url()}; it went: ${path.join(' → ')}`);
}

const byId = (id) => (f) => f.id === id;
const byText = (tag, text) => (f) => f.tag === tag && f.text === text;

test('the editor can be filled in and published with Tab and Enter, focus always visible', async () => {
  const { context, page } = await fresh(browser);
  try {
    await visit(page, url('auth', '/signin'));
    await tabTo(page, 'the email field', byId('email'));
    await page.keyboard.type(MEADOW.email);
    await tabTo(page, 'the password field', byId('password'));
    await page.keyboard.type(MEADOW.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(url('meadow', '/admin'));

    await tabTo(page, 'the New post link', byText('a', 'New post'));
    await page.keyboard.press('Enter');
    await page.waitForURL(url('meadow', '/admin/posts/new'));
    await assertHeading(page, 'New post');

    await tabTo(page, 'the title', byId('title'));
    await page.keyboard.type('Typed With Keys');
    await tabTo(page, 'the tags', byId('tags'));
    await page.keyboard.type('keyboard');
    await tabTo(page, 'the text', byId('markdown'));
    await page.keyboard.type('No mouse was used.');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Tab leaves the text area; Enter presses a button.');
    await tabTo(page, 'the Publish button', byText('button', 'Publish'));
    await page.keyboard.press('Enter');
    await page.waitForURL(SAVED_POST);
    assert.match(await page.getByRole('status').innerText(), /Published/);
  } finally {
    await context.close();
  }

  const reader = await fresh(browser);
  try {
    await visit(reader.page, url('meadow', '/blog/typed-with-keys'));
    await assertHeading(reader.page, 'Typed With Keys');
    assert.deepEqual(await reader.page.locator('article .prose p').allInnerTexts(), [
      'No mouse was used.',
      'Tab leaves the text area; Enter presses a button.',
    ]);
  } finally {
    await reader.context.close();
  }
});

test('a reader can reach every link of a post with Tab, focus always visible', async () => {
  const { context, page } = await fresh(browser);
  try {
    await visit(page, url('autumn', '/blog/rust-on-the-edge'));
    const links = await page.locator('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])').count();
    await tabTo(page, 'the last link ("← All posts")', byText('a', '← All posts'), links + 5);
    await page.keyboard.press('Enter');
    await page.waitForURL(url('autumn', '/blog'));
  } finally {
    await context.close();
  }
});
