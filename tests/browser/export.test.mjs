// Journey: an owner with a post, a draft and a picture opens Export from
// the admin's navigation, reads what the file will hold, downloads it,
// and finds in the zip their posts as Markdown with front matter and the
// picture byte for byte, under the name the post links it by.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { assertHeading, fresh, launch, signUp, unique, url, writePost } from './lib.mjs';
import { unzip } from './zip.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** A PNG signature and header (8 × 8) and `n` bytes after it: Grove reads the header only. */
function picture(n) {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(8, 8);
  ihdr.writeUInt32BE(8, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  const rest = Buffer.alloc(n);
  for (let i = 0; i < n; i++) rest[i] = (i * 31 + 7) % 251;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, rest]);
}

test('an owner downloads the whole blog from the Export page and finds it all in the zip', async () => {
  const { context, page } = await fresh(browser);
  try {
    const name = unique('takeaway');
    await signUp(page, name, 'Takeaway Notes');
    const image = picture(20_000);
    await page.goto(url(name, '/admin/media'));
    await page.getByLabel('Files').setInputFiles({ name: 'kettle.png', mimeType: 'image/png', buffer: image });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(/\/admin\/media\?uploaded=1/);
    const src = await page.locator('.media-grid img').getAttribute('src');
    const mediaPath = new URL(src, url(name, '/')).pathname;
    await writePost(page, name, { title: 'Tea: a field guide', tags: 'tea, kettles', markdown: `Boil.\n\n![A kettle](${mediaPath})` });
    await writePost(page, name, { title: 'Unfinished', markdown: 'Later.' }, 'Save draft');

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Export' }).click();
    await assertHeading(page, 'Export');
    const text = await page.locator('main').innerText();
    assert.match(text, /2 posts \(1 draft or scheduled post among them\)/);
    assert.match(text, /1 media file/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the export (.zip)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), new RegExp(`^grove-${name}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    const files = unzip(await readFile(await download.path()));

    const post = files.get('posts/tea-a-field-guide.md').toString('utf8');
    assert.match(post, /^---\n/);
    assert.match(post, /\ntitle: 'Tea: a field guide'\n/);
    assert.match(post, /\nstatus: published\n/);
    assert.match(post, /\ntags:\n- tea\n- kettles\n/);
    assert.ok(post.endsWith(`![A kettle](${mediaPath})`), post);
    assert.match(files.get('posts/unfinished.md').toString('utf8'), /\nstatus: draft\n/);
    assert.deepEqual(files.get(`media${mediaPath.slice('/media'.length)}`), image, 'the picture, byte for byte');
    const settings = JSON.parse(files.get('settings.json').toString('utf8'));
    assert.equal(settings.blog.title, 'Takeaway Notes');
    assert.equal(settings.media[0].filename, 'kettle.png');
    assert.match(files.get('README.md').toString('utf8'), /^# A Grove blog, exported/);
  } finally {
    await context.close();
  }
});
