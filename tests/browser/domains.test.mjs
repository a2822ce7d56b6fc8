// Journey 7: the owner of a paid blog connects a domain of their own. They
// open Domains from the admin's header, add the domain (and its www name),
// see the DNS records to create, check it (not yet: the records are
// missing), create the records (here through the local DNS resolver that
// the tests and `make dev` use), check again and see it verified, then
// make it the primary address: the subdomain now sends readers there.
// Finally they remove it, and the subdomain serves again.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { BASE_DOMAIN, PORT, assertHeading, fresh, launch, signIn, unique, url } from './lib.mjs';

/** The paid demo blog of seeds/demo.toml (local only). */
const HARBOR = { name: 'harbor', email: 'harbor@grove.localhost', password: 'harbor-demo-2026' };
const OPS_TOKEN = process.env.GROVE_OPS_TOKEN || '';

/** A request to loopback with `host` as its Host header; resolves to `{status, headers, body}`. */
function send(method, host, path, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: PORT, method, path, headers: { host: `${host}:${PORT}`, ...headers } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Sets the local DNS resolver's records of `name` (ops host, local runs only). */
async function setDns(name, records) {
  const r = await send('PUT', `ops.${BASE_DOMAIN}`, `/dev/dns/${name}`, {
    body: JSON.stringify(records),
    headers: { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' },
  });
  assert.equal(r.status, 200, `PUT /dev/dns/${name}: ${r.body}`);
}

let browser;
before(async () => {
  assert.ok(OPS_TOKEN, 'GROVE_OPS_TOKEN is set by scripts/browser.sh');
  browser = await launch();
});
after(() => browser?.close());

test('an owner adds a domain, creates its records, sees it verified and makes it primary', async () => {
  const { context, page } = await fresh(browser);
  try {
    const host = `${unique('journey')}.example`;
    const www = `www.${host}`;
    const target = `domains.${BASE_DOMAIN}`;
    await signIn(page, HARBOR);
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Domains' }).click();
    await assertHeading(page, 'Domains');
    await page.getByLabel('Domain', { exact: true }).fill(host);
    await page.getByLabel(/Also answer on the www name/).check();
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.waitForURL(/\/admin\/domains\?notice=added/);
    await page.getByRole('status').filter({ hasText: 'Domain added.' }).waitFor();

    // The records to create, in the domain's own section.
    const section = page.locator('section.domain', { has: page.getByRole('heading', { name: host }) });
    await section.getByText('Pending').waitFor();
    const rows = section.locator('table.records tbody tr');
    const records = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    assert.deepEqual(
      records.map(([type, name]) => `${type} ${name}`),
      [`CNAME ${host}`, `TXT _grove-challenge.${host}`, `CNAME ${www}`],
    );
    assert.ok(records.every(([type, , value]) => type !== 'CNAME' || value === target), JSON.stringify(records));
    const token = records.find(([type]) => type === 'TXT')[2];
    assert.match(token, /^[0-9a-f]{32}$/);
    assert.equal((await send('GET', host, '/')).status, 404, 'a pending domain serves nothing');

    // Checked too early: it says what is missing.
    await section.getByRole('button', { name: `Check DNS now for ${host}` }).click();
    await page.waitForURL(/notice=pending/);
    await section.getByText(`No TXT record at _grove-challenge.${host} yet`).waitFor();

    // The owner creates the records at their DNS provider.
    await setDns(host, { CNAME: [target] });
    await setDns(`_grove-challenge.${host}`, { TXT: [token] });
    await setDns(www, { CNAME: [target] });
    await section.getByRole('button', { name: `Check DNS now for ${host}` }).click();
    await page.waitForURL(/notice=verified/);
    await page.getByRole('status').filter({ hasText: 'Verified: your blog is served on this domain.' }).waitFor();
    await section.getByText('Verified', { exact: true }).waitFor();
    const served = await send('GET', host, '/');
    assert.equal(served.status, 200);
    assert.match(served.body, /<title>Harbor Log<\/title>/);

    // Primary: the subdomain now sends readers to the domain.
    await page.getByRole('radio', { name: host }).check();
    await page.getByRole('button', { name: 'Save primary address' }).click();
    await page.waitForURL(/notice=primary/);
    await section.getByText('Primary', { exact: true }).waitFor();
    const moved = await send('GET', `harbor.${BASE_DOMAIN}`, '/blog');
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, `http://${host}:${PORT}/blog`);
    // The admin itself stays on the subdomain.
    await page.goto(url('harbor', '/admin/domains'));
    await assertHeading(page, 'Domains');

    // Removed (after a question): the subdomain serves again.
    await section.getByRole('link', { name: `Remove ${host}…` }).click();
    await assertHeading(page, `Remove ${host}?`);
    await page.getByText('becomes the primary again').waitFor();
    await page.getByRole('button', { name: `Remove ${host}` }).click();
    await page.waitForURL(/notice=removed/);
    assert.equal((await send('GET', `harbor.${BASE_DOMAIN}`, '/blog')).status, 200);
    assert.equal((await send('GET', host, '/')).status, 404);
  } finally {
    await context.close();
  }
});
