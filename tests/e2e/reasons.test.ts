import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
beforeAll(async () => {
	app = await startApp({ customers: 150 });
	// Discovery on the demo's stored texts, as an admin's "discover again" does.
	const res = await fetch(`${app.url}/api/trpc/reasons.discover`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ confirm: 'discover' })
	});
	expect(res.status, await res.clone().text()).toBe(200);
	page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 300_000);
afterAll(() => app?.stop());

describe('reasons page', () => {
	it('lists the discovered reasons by volume with phrases, trend and examples', async () => {
		await page.goto(`${app.url}/reasons`);
		await page.getByTestId('reason-list').waitFor();
		const rows = page.getByTestId('reason');
		expect(await rows.count()).toBeGreaterThanOrEqual(5);
		const volumes = await page.locator('[data-testid="reason"] td.num:nth-of-type(4)').allTextContents();
		const n = volumes.map((v) => Number(v.trim().split(/\s/)[0]!.replace(/,/g, '')));
		expect(n).toEqual([...n].sort((a, b) => b - a));
		expect(await page.getByTestId('reasons-summary').textContent()).toMatch(/reasons over [\d,]+ contacts/);
		await page.getByTestId('sort-negative').click();
		await page.waitForURL(/sort=negative/);
		await page.getByTestId('reason-list').waitFor();
	});

	it('renames a reason, which the list then shows, and refuses an empty name', async () => {
		const first = page.getByTestId('reason').first();
		const id = (await first.getAttribute('data-id'))!;
		await first.getByText('Edit').click();
		await page.getByTestId(`rename-${id}`).fill('Where my parcel is');
		await page.getByTestId(`rename-save-${id}`).click();
		await page.getByTestId('reasons-message').waitFor();
		await expect
			.poll(() => page.locator(`[data-id="${id}"] [data-testid="reason-name"]`).textContent(), { timeout: 20_000 })
			.toBe('Where my parcel is');
		await page.screenshot({ path: `${SCREENSHOTS}/reasons.png` });
		// An empty name is refused with the server's message.
		await page.getByTestId(`edit-${id}`).evaluate((d) => ((d as HTMLDetailsElement).open = true));
		await page.getByTestId(`rename-${id}`).fill('   ');
		await page.getByTestId(`rename-save-${id}`).click();
		expect(await page.getByTestId('reasons-error').textContent()).toContain('cannot be empty');
	});

	it('reads in Simplified Chinese', async () => {
		await page.context().addCookies([{ name: 'touchmap_lang', value: 'zh-CN', url: app.url }]);
		await page.goto(`${app.url}/reasons`);
		await page.getByTestId('reason-list').waitFor();
		expect(await page.locator('h1').textContent()).toBe('联系原因');
		await page.screenshot({ path: `${SCREENSHOTS}/reasons-zh.png` });
	});
});
