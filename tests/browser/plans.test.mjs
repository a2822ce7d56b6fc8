// Journey 7: an owner outgrows the free plan. The dashboard says where the
// blog stands against its quotas; the plan page shows the usage, and the
// owner asks for the paid plan, which an operator approves; the page then
// offers the way back down. The pricing page compares the plans.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHeading, fresh, launch, ops, signUp, unique, url, visit } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('an owner sees the plan, asks for the paid one, and an operator approves it', async () => {
  const { context, page } = await fresh(browser);
  try {
    const name = unique('plan');
    await signUp(page, name, 'Growing Blog');
    await visit(page, url(name, '/admin'));
    const summary = page.locator('.plan-summary');
    await assert.doesNotReject(summary.waitFor());
    assert.match(await summary.innerText(), /On the free plan: 0 of 100 published posts/);
    await page.getByRole('link', { name: 'Plan and usage' }).click();
    await assertHeading(page, 'Plan');
    const usage = page.getByRole('table', { name: /What the blog uses/ });
    assert.match(await usage.innerText(), /pages\s+\d+\s+10\n/i);

    await page.getByRole('button', { name: 'Ask for the paid plan' }).click();
    await page.waitForURL(/\/admin\/plan\?notice=requested$/);
    await assert.doesNotReject(page.getByText('Request sent: an operator will review it.').waitFor());
    assert.ok(await page.getByRole('button', { name: 'Withdraw the request' }).isVisible());

    const pending = await ops('GET', '/plan-requests');
    const mine = pending.json.requests.find((r) => r.subdomain === name);
    assert.ok(mine, `the request is pending for ops: ${JSON.stringify(pending.json)}`);
    const approved = await ops('POST', `/plan-requests/${mine.id}/approve`);
    assert.equal(approved.status, 200);

    await page.reload();
    assert.match(await page.locator('main').innerText(), /Your blog is on the paid plan/);
    assert.ok(await page.getByRole('button', { name: 'Move to the free plan' }).isVisible());

    await page.getByRole('link', { name: 'Compare the plans' }).click();
    await assertHeading(page, 'Plans');
    assert.equal(page.url(), url(null, '/pricing'));
    assert.match(await page.getByRole('table').innerText(), /Custom domains\s+none\s+3/i);
  } finally {
    await context.close();
  }
});
