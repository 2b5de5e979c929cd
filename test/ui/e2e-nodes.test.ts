/**
 * Issue 19 item 4, in real Chromium: two `pinebridge serve --database postgres://…` nodes on one
 * real PostgreSQL; the standby's own UI shows the dashboard's Nodes card with both nodes, this
 * one named, the executor's role and both heartbeats; the executor paused (SIGSTOP) shows as
 * "not seen for" in the warning colour while the standby takes over, and fresh again once it
 * runs (SIGCONT). Screenshot in test-artifacts/screenshots/, checked for visible secrets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.js';
import { launchChromium, safeScreenshot, SCREENSHOT_DIR, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

const missing = postgresMissing();
if (missing) console.warn(`\n!!! the Nodes card on PostgreSQL: NOT tested here: ${missing}.\n`);
const LEASE_SEC = 1;

describe.skipIf(missing !== null).sequential('the Nodes card, in Chromium, against two nodes on PostgreSQL', { timeout: 60_000 }, () => {
  let pg: PgCluster;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  const nodes: Record<string, ServeProcess> = {};
  const role = async (n: ServeProcess) => ((await (await fetch(new URL('/readyz', n.webhookUrl))).json()) as { role?: string }).role;

  beforeAll(async () => {
    pg = await startPostgres();
    const url = pg.createDatabase();
    browser = await launchChromium();
    const settings = (node: string) => ({ setupCompletedAt: Date.now(), paper: { markets: 'snapshot' }, reconciliation: { intervalSec: 0 }, cluster: { node, leaseSec: LEASE_SEC } });
    // One after the other: the first one migrates the database.
    nodes['node-a'] = await startServe({ args: ['--database', url], settings: settings('node-a') });
    nodes['node-b'] = await startServe({ args: ['--database', url], settings: settings('node-b') });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    pageErrors = watchErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const n of Object.values(nodes)) {
      n.child.kill('SIGCONT');
      await n.stop();
    }
    pg?.destroy();
  });

  let executor = '';
  let standby = '';
  const row = (name: string) => page.getByTestId('nodes-table').locator(`tr[data-node="${name}"]`);

  it("the standby's UI lists both nodes with their roles, heartbeats and versions", async () => {
    await expect.poll(async () => (await Promise.all(Object.values(nodes).map(role))).sort().join(','), { timeout: 20_000 }).toBe('executor,standby');
    executor = (await role(nodes['node-a']!)) === 'executor' ? 'node-a' : 'node-b';
    standby = executor === 'node-a' ? 'node-b' : 'node-a';
    const ui = nodes[standby]!;
    await page.goto(`${ui.controlUrl}/#token=${encodeURIComponent(ui.token)}`);
    const card = page.getByRole('region', { name: 'Nodes' });
    await card.waitFor();
    expect(await card.getByRole('columnheader').allTextContents()).toEqual(['Node', 'Role', 'Last heartbeat', 'Version', 'Accounts']);
    await expect.poll(() => page.getByTestId('nodes-table').locator('tbody tr').count()).toBe(2);
    expect(await row(standby).getByRole('rowheader').textContent()).toContain(`${standby} (this node)`);
    expect(await row(executor).getByRole('rowheader').textContent()).not.toContain('this node');
    expect(await row(executor).locator('td').first().textContent()).toBe('Executor');
    expect(await row(standby).locator('td').first().textContent()).toBe('Standby');
    for (const name of [executor, standby]) {
      expect(await row(name).getByTestId('node-heartbeat').textContent()).toMatch(/^\d+s ago$/);
      expect(await row(name).locator('td').nth(2).textContent()).toMatch(/^\d+\.\d+\.\d+/);
    }
    // One lease per account: the executor's row names the account it executes, the standby's none.
    expect(await row(executor).getByTestId('node-accounts').textContent()).toBe('main');
    expect(await row(standby).getByTestId('node-accounts').textContent()).toBe('—');
    expect(await page.getByTestId('nodes-summary').textContent()).toContain(`${executor} executes`);
  });

  it('the executor paused: "not seen for" in the warning colour, and this node takes over; back: fresh again, standby', async () => {
    nodes[executor]!.child.kill('SIGSTOP');
    await expect.poll(() => row(executor).getByTestId('node-heartbeat').textContent(), { timeout: 20_000 }).toMatch(/^not seen for \d+s$/);
    expect(await row(executor).getByTestId('node-heartbeat').getAttribute('class')).toBe('warn-text');
    await expect.poll(() => row(standby).locator('td').first().textContent(), { timeout: 20_000 }).toBe('Executor');
    expect(await row(executor).locator('td').first().textContent()).toBe('Standby');
    await expect.poll(() => page.getByTestId('nodes-summary').textContent()).toMatch(/last take-over \(by this node\) after [\d.]+ s/);
    const ui = nodes[standby]!;
    await safeScreenshot(page, SCREENSHOT_DIR, '60-nodes-card-stale', { 'control token': ui.token, 'webhook secret': ui.webhookSecret() });

    nodes[executor]!.child.kill('SIGCONT');
    await expect.poll(() => row(executor).getByTestId('node-heartbeat').textContent(), { timeout: 20_000 }).toMatch(/^\d+s ago$/);
    expect(await row(executor).locator('td').first().textContent()).toBe('Standby');
    expect(await row(standby).locator('td').first().textContent()).toBe('Executor');
    expect(pageErrors).toEqual([]);
  });
});
