// Journey: a reader finds a blog's feeds from the page they are reading,
// as a feed reader or a browser extension does (the `<link rel="alternate">`
// tags in the head), on the home page and on a tag's page, and the blog's
// icon loads as the tab's favicon. Autumn Notes (seeds/demo.toml) is only
// read by the suite, never written.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { PORT, fresh, launch, url, visit } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/**
 * GET `target` as a feed reader would (not a browser): resolves to
 * `{ status, type, text }`. Sent to loopback with the Host header, since
 * Node does not resolve `*.localhost` names.
 */
function fetchAsReader(target) {
  const u = new URL(target);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: PORT, method: 'GET', path: u.pathname + u.search, headers: { host: u.host } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The feed links in the page's head: `[{ type, title, href }]`, hrefs absolute. */
function feedLinks(page) {
  return page.$$eval('head link[rel="alternate"]', (links) =>
    links.map((l) => ({ type: l.type, title: l.title, href: l.href })),
  );
}

test('a reader finds the feeds from the head of the page and subscribes', async () => {
  const { context, page } = await fresh(browser);
  try {
    await visit(page, url('autumn'));
    const links = await feedLinks(page);
    assert.deepEqual(
      links.map((l) => [l.type, l.href]),
      [
        ['application/rss+xml', url('autumn', '/rss.xml')],
        ['application/atom+xml', url('autumn', '/atom.xml')],
        ['application/feed+json', url('autumn', '/feed.json')],
      ],
    );
    assert.equal(links[0].title, 'Autumn Notes (RSS)');
    const onHome = await page.locator('article.summary h2').allInnerTexts();

    // What a feed reader does with the link: fetch it and read the items.
    for (const link of links) {
      const response = await fetchAsReader(link.href);
      assert.equal(response.status, 200, link.href);
      assert.ok(response.type.startsWith(link.type), link.href);
      const body = response.text;
      for (const title of onHome) {
        assert.ok(body.includes(title), `${link.href} has "${title}"`);
      }
      assert.ok(!body.includes('Unfinished Thoughts on Winter'), `${link.href}: no draft`);
    }
    const json = JSON.parse((await fetchAsReader(url('autumn', '/feed.json'))).text);
    assert.equal(json.items[0].title, onHome[0], 'newest first, as on the home page');
    assert.ok(json.items[0].url.startsWith(url('autumn', '/blog/')), 'absolute post links');

    // A tag's page offers that tag's feeds too.
    await page.getByRole('link', { name: '#seasons' }).first().click();
    await page.waitForURL(url('autumn', '/tags/seasons'));
    const tagLinks = (await feedLinks(page)).map((l) => l.href);
    assert.ok(tagLinks.includes(url('autumn', '/tags/seasons/atom.xml')), tagLinks.join(' '));
    const atom = (await fetchAsReader(url('autumn', '/tags/seasons/atom.xml'))).text;
    assert.ok(atom.includes('The First Frost') && !atom.includes('Slow-Cooked Beans'));
  } finally {
    await context.close();
  }
});

test("the blog's icon loads as the favicon, and the platform has its own", async () => {
  const { context, page } = await fresh(browser);
  try {
    await visit(page, url('autumn', '/blog'));
    const href = await page.$eval('head link[rel="icon"]', (l) => l.href);
    assert.equal(href, url('autumn', '/favicon.svg'));
    // The browser draws it: an image that decodes, at its own size.
    const size = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, href);
    assert.deepEqual(size, [64, 64]);
    const svg = (await fetchAsReader(href)).text;
    assert.ok(svg.includes('>A</text>') && svg.includes('#b4532a'), 'initial and accent');
    for (const target of [url('autumn', '/favicon.ico'), url(null, '/favicon.ico'), url('auth', '/favicon.ico')]) {
      const response = await fetchAsReader(target);
      assert.equal(response.status, 200, target);
      assert.equal(response.type, 'image/svg+xml', target);
    }
  } finally {
    await context.close();
  }
});
