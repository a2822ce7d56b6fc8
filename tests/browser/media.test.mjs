// Journey 6: an owner puts an image in a post. They upload a photo in the
// media library, are asked for its alt text before they can insert it,
// paste the Markdown the library gives into a new post and publish; a
// reader sees the image, loaded, with its alt text. A file that is not an
// image, whatever its name, is refused with a message that says why.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { assertHeading, fresh, launch, signUp, unique, url, visit, writePost } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A real, decodable PNG: `width` × `height`, a blue-to-orange gradient. */
function png(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([40 + (200 * x) / width, 90, 200 - (150 * y) / height], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('an owner uploads an image, describes it, puts it in a post, and a reader sees it', async () => {
  const owner = await fresh(browser);
  const reader = await fresh(browser);
  try {
    const page = owner.page;
    const name = unique('photos');
    await signUp(page, name, 'Harbour Log');

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Media' }).click();
    await page.waitForURL(url(name, '/admin/media'));
    await assertHeading(page, 'Media');
    assert.match(await page.locator('main').innerText(), /No files yet/);
    assert.match(await page.locator('main').innerText(), /0 bytes of 100 MB used/);

    await page.getByLabel('Files').setInputFiles({ name: 'harbour.png', mimeType: 'image/png', buffer: png(120, 80) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(/\/admin\/media\?uploaded=1/);
    assert.match(await page.getByRole('status').innerText(), /Uploaded/);
    const thumb = page.locator('.media-grid img');
    assert.equal(await thumb.getAttribute('width'), '120');
    assert.equal(await thumb.getAttribute('height'), '80');
    assert.equal(await thumb.getAttribute('loading'), 'lazy');
    await thumb.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('.media-grid img')?.naturalWidth === 120);
    assert.match(await page.locator('.media-item').innerText(), /harbour\.png · 120 × 80 px/);

    // No Markdown to insert until the image is described.
    assert.match(await page.locator('.media-item').innerText(), /Write its alt text/);
    assert.equal(await page.getByLabel('Markdown to paste').count(), 0);
    await page.getByLabel('Alt text', { exact: true }).fill('Boats in the harbour at dusk');
    await page.getByRole('button', { name: 'Save alt text' }).click();
    await page.waitForURL(/notice=alt/);
    assert.match(await page.getByRole('status').innerText(), /Alt text saved/);
    const markdown = await page.getByLabel('Markdown to paste').inputValue();
    assert.match(markdown, /^!\[Boats in the harbour at dusk\]\(\/media\/[0-9a-f]{32}\.png\)$/);

    await writePost(page, name, { title: 'Harbour at dusk', markdown: `The boats came in.\n\n${markdown}\n` });

    const r = reader.page;
    await visit(r, url(name, '/blog/harbour-at-dusk'));
    await assertHeading(r, 'Harbour at dusk');
    const img = r.locator('article img');
    assert.equal(await img.getAttribute('alt'), 'Boats in the harbour at dusk');
    await r.waitForFunction(() => document.querySelector('article img')?.naturalWidth === 120);
  } finally {
    await owner.context.close();
    await reader.context.close();
  }
});

test('a page named .png is refused for what it is, and nothing is added', async () => {
  const owner = await fresh(browser);
  try {
    const page = owner.page;
    const name = unique('nopng');
    await signUp(page, name, 'Careful Uploads');
    await page.goto(url(name, '/admin/media'));
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');
    await page.getByLabel('Files').setInputFiles({ name: 'cat.png', mimeType: 'image/png', buffer: html });
    const [response] = await Promise.all([
      page.waitForResponse((resp) => resp.request().method() === 'POST'),
      page.getByRole('button', { name: 'Upload' }).click(),
    ]);
    assert.equal(response.status(), 415);
    assert.match(await page.locator('main').innerText(), /cat\.png is text\/html/);
    await page.getByRole('link', { name: 'Back to the media library' }).click();
    await page.waitForURL(url(name, '/admin/media'));
    assert.match(await page.locator('main').innerText(), /No files yet/);
  } finally {
    await owner.context.close();
  }
});
