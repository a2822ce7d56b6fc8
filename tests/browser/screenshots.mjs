// `make screenshots`: PNGs of the main reader and admin pages at desktop
// (1280 px) and phone (390 px) widths, for docs/screenshots/ and the
// README. Run by scripts/screenshots.sh against a fresh `wrangler dev`;
// the demo seed is all the content. Says which phone pages scroll sideways.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AUTUMN, DESKTOP, fresh, launch, PHONE, signIn, url } from './lib.mjs';

const out = process.argv[2];
if (!out) throw new Error('usage: screenshots.mjs DIR');
mkdirSync(out, { recursive: true });

const READER = [
  ['platform-home', url(null, '/')],
  ['blog-home', url('autumn', '/')],
  ['blog-list', url('autumn', '/blog')],
  ['post', url('autumn', '/blog/rust-on-the-edge')],
  ['post-meadow', url('meadow', '/blog/counting-bees')],
  ['post-with-image', url('autumn', '/blog/hello-autumn')],
  ['sign-in', url('auth', '/signin')],
  ['sign-up', url('auth', '/signup')],
  ['pricing', url(null, '/pricing')],
  ['forgot-password', url('auth', '/forgot')],
];
const ADMIN = [
  ['admin-dashboard', '/admin'],
  ['admin-editor', null], // the editor of "Rust on the Edge", found on the dashboard
  ['admin-settings', '/admin/settings'],
  ['admin-media', '/admin/media'],
  ['admin-plan', '/admin/plan'],
  ['admin-welcome', '/admin/welcome'],
  ['admin-domains', '/admin/domains'],
  ['admin-account', '/admin/account'],
  ['admin-export', '/admin/export'],
  ['admin-import', '/admin/import'],
];

const browser = await launch();
const overflowing = [];
try {
  for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const reader = await fresh(browser, { viewport: { ...viewport, height: width === 'phone' ? 844 : 800 } });
    for (const [name, target] of READER) {
      await reader.page.goto(target);
      await shoot(reader.page, name, width);
    }
    await reader.context.close();

    const owner = await fresh(browser, { viewport: { ...viewport, height: width === 'phone' ? 844 : 800 } });
    await signIn(owner.page, AUTUMN);
    for (const [name, path] of ADMIN) {
      if (path) {
        await owner.page.goto(url('autumn', path));
      } else {
        await owner.page.goto(url('autumn', '/admin'));
        await owner.page.getByRole('link', { name: 'Rust on the Edge', exact: true }).click();
        await owner.page.waitForLoadState();
      }
      await shoot(owner.page, name, width);
    }
    // The question the editor's "Delete post" button asks first.
    await owner.page.goto(url('autumn', '/admin'));
    await owner.page.getByRole('link', { name: 'Rust on the Edge', exact: true }).click();
    await owner.page.waitForLoadState();
    await owner.page.getByRole('button', { name: 'Delete post' }).click();
    await owner.page.waitForLoadState();
    await shoot(owner.page, 'admin-delete', width);
    await owner.context.close();
  }
} finally {
  await browser.close();
}
if (overflowing.length) {
  console.log(`pages that scroll sideways on a phone:\n  ${overflowing.join('\n  ')}`);
} else {
  console.log('no page scrolls sideways on a phone');
}

async function shoot(page, name, width) {
  const file = join(out, `${name}-${width}.png`);
  await page.screenshot({ path: file });
  console.log(`${file}  ${page.url()}`);
  if (width === 'phone') {
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 0) overflowing.push(`${page.url()}: ${wide} px too wide`);
  }
}
