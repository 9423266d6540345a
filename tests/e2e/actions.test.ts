/**
 * Actions in the browser: from a pain point's drill-down, create an action; move it to done on a
 * day in the data; see it on /actions with its measurement (or why there is not enough data yet),
 * on /roi in the actions section, and as a ✓ on the journey map; download the CSV.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
beforeAll(async () => {
	app = await startApp();
	page = await app.browser.newPage({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
});
afterAll(() => app?.stop());

describe('/actions', () => {
	it('creates an action from a pain point, marks it done and shows it on /actions, /roi and the map', async () => {
		await page.goto(`${app.url}/journey`);
		const red = page.locator('[data-testid="touchpoint"][data-severity="red"]').first();
		await red.click();
		await page.waitForURL(/\/pain-points\/[A-Za-z0-9_-]+/);
		await page.getByTestId('pain-point-title').waitFor();
		await page.getByTestId('pain-point-add-action').click();
		await page.getByTestId('action-form').waitFor();
		await page.getByTestId('action-title').fill('Rewrite the help text');
		await page.getByTestId('action-owner').fill('Li Wei');
		await page.getByTestId('action-due').fill('2026-06-30');
		await page.getByTestId('action-cost').fill('50000');
		await page.getByTestId('action-create').click();
		await page.getByTestId('actions-message').waitFor();
		const row = page.getByTestId('action-row').first();
		expect(await row.getAttribute('data-status')).toBe('planned');

		// Done on a day inside the demo's data, so both sides of it have weeks to compare.
		await row.getByTestId('action-done-at').fill('2026-06-01');
		await row.getByTestId('action-move-done').click();
		await expect.poll(() => page.getByTestId('action-row').first().getAttribute('data-status')).toBe('done');
		const effect = page.getByTestId('action-row').first().locator('td.effect');
		await expect.poll(async () => (await effect.textContent()) ?? '').toMatch(/comparable|Not enough data yet/);
		await page.screenshot({ path: `${SCREENSHOTS}/actions.png`, fullPage: true });

		const download = page.waitForEvent('download');
		await page.getByTestId('actions-export-csv').click();
		const csv = readFileSync((await (await download).path())!, 'utf8');
		expect(csv).toMatch(/Rewrite the help text/);
		expect(csv.split('\r\n')[0]).toMatch(/^\ufeffid,title,kind,stage,target,kpi,owner,due,status,done_at/);

		await page.goto(`${app.url}/roi`);
		await page.getByTestId('roi-actions').waitFor();
		expect(await page.getByTestId('roi-action').first().textContent()).toMatch(/Rewrite the help text/);
		expect(await page.getByTestId('roi-actions-total').textContent()).toMatch(/50/);
		await page.getByTestId('roi-actions').screenshot({ path: `${SCREENSHOTS}/roi-actions.png` });

		await page.goto(`${app.url}/journey`);
		await expect.poll(async () => (await page.locator('main').textContent()) ?? '').toContain(' ✓');
	});

	it('refuses a bad action with a message (400), never a 500', async () => {
		const res = await fetch(`${app.url}/api/trpc/actions.create`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ target: 'bm8', title: 'x', kpi: 'csat', due: '2026-02-30', cost: -1 })
		});
		expect(res.status).toBe(400);
		expect(JSON.stringify(await res.json())).toMatch(/due|negative/);
	});
});
