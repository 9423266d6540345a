import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
beforeAll(async () => {
	app = await startApp({ customers: 600 });
	page = await app.browser.newPage({ viewport: { width: 1360, height: 1000 } });
});
afterAll(() => app?.stop());

const value = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));

describe('customers pages', () => {
	it('shows the high-value portrait, the rule in force and needs by scenario', async () => {
		await page.goto(`${app.url}/customers`);
		await page.getByTestId('seg-size').waitFor();
		expect(await page.getByTestId('rule-in-force').textContent()).toMatch(
			/account age ≥ 3 years.*≥ 5 interactions a month/
		);
		const size = await value('seg-size');
		expect(size).toBeGreaterThan(5);
		expect(await value('seg-revenue')).toBeGreaterThan(0);
		for (const k of ['channels', 'stages', 'intents', 'tiers'])
			await page.getByTestId(`compare-${k}`).locator('svg').first().waitFor();
		expect(await page.getByTestId('compare-channels').locator('rect').count()).toBeGreaterThan(4);
		expect(await page.getByTestId('needs-complaint').locator('tbody tr').count()).toBeGreaterThan(0);
		await page.screenshot({ path: `${SCREENSHOTS}/customers.png`, fullPage: true });

		// Loosening the rule in the UI grows the segment; the page says which rule is in force.
		await page.getByTestId('edit-rules').click();
		await page.getByTestId('rule-per-month').fill('1');
		await page.getByTestId('save-rules').click();
		await expect.poll(() => value('seg-size')).toBeGreaterThan(size);
		expect(await page.getByTestId('rule-in-force').textContent()).toMatch(/≥ 1 interactions a month/);
		await page.getByTestId('rule-per-month').fill('5');
		await page.getByTestId('save-rules').click();
		await expect.poll(() => value('seg-size')).toBe(size);
	});

	it('shows churn signals and the at-risk list, filters it and exports CSV', async () => {
		await page.getByTestId('to-at-risk').click();
		await page.waitForURL(/\/customers\/at-risk/);
		await page.getByTestId('at-risk-table').waitFor();
		expect(await value('signal-others-quiet')).toBeGreaterThan(0);
		await page.getByTestId('trend-quiet').locator('svg').first().waitFor();
		const rows = page.getByTestId('at-risk-row');
		expect(await rows.count()).toBeGreaterThan(3);
		expect(await rows.first().locator('.reasons li').count()).toBeGreaterThan(0);
		// Reasons are sentences with the typical value; the model's held-out AUC is on the page.
		expect(await rows.first().locator('.reasons li').first().textContent()).toMatch(
			/typical|most customers|no contact on record/i
		);
		expect(await page.getByTestId('model-auc').textContent()).toMatch(
			/^AUC 0\.\d\d on [\d,]+ customers held out of training$/
		);
		expect(await page.getByTestId('at-risk-table').textContent()).not.toMatch(/9999/);
		await page.screenshot({ path: `${SCREENSHOTS}/customers-at-risk.png`, fullPage: true });

		// Ordered by risk alone on request.
		await page.getByTestId('filter-sort').selectOption('risk');
		await page.waitForURL(/sort=risk/);
		// The URL changes before the new rows replace the old ones: wait for the list, not the table.
		const risks = async () =>
			(await page.locator('[data-testid=at-risk-row] .risk').allTextContents()).map((t) => parseFloat(t));
		const descending = (xs: number[]) => xs.length > 3 && xs.every((x, i) => i === 0 || xs[i - 1]! >= x);
		await expect.poll(async () => descending(await risks()), { timeout: 15_000 }).toBe(true);
		await page.screenshot({ path: `${SCREENSHOTS}/customers-at-risk-by-risk.png`, fullPage: true });
		await page.getByTestId('filter-sort').selectOption('priority');
		await page.waitForURL((u) => !u.search.includes('sort='));

		await page.getByTestId('filter-signal').selectOption('quiet');
		await page.waitForURL(/signal=quiet/);
		await page.getByTestId('at-risk-table').waitFor();
		const href = await page.getByTestId('export-csv').getAttribute('href');
		expect(href).toMatch(/export\.csv\?.*signal=quiet/);
		const csv = await (await fetch(`${app.url}${href}`)).text();
		const lines = csv.trim().split('\n');
		expect(lines[0]).toMatch(/^rank,customer_id,high_value,risk/);
		expect(lines.length).toBeGreaterThan(1);
		expect(lines.slice(1).every((l) => Number(l.split(',')[9]) >= 90)).toBe(true);
		const bad = await fetch(`${app.url}/customers/at-risk/export.csv?signal=nope`);
		expect(bad.status).toBe(400);
		expect(await bad.text()).toMatch(/signal/);
	});

	it('opens a customer 360 from the list, with PII masked', async () => {
		const link = page.getByTestId('customer-link').first();
		const id = (await link.textContent())!.trim();
		await link.click();
		await page.waitForURL(new RegExp(`/customers/${id}$`));
		await page.getByTestId('c360-head').waitFor();
		expect(await page.getByTestId('c360-id').textContent()).toContain(id);
		expect(await page.getByTestId('pii-email').textContent()).toMatch(/^\w•••@e•••\.(com|cn)$/);
		expect(await page.getByTestId('pii-phone').textContent()).toMatch(/^•••• \d{4}$/);
		expect(await page.getByTestId('pii-name').textContent()).toContain('•');
		expect(await page.getByTestId('risk-score').textContent()).toMatch(/\d+%/);
		expect(await page.getByTestId('timeline-entry').count()).toBeGreaterThan(0);
		await page.getByTestId('journey-chart').locator('svg').first().waitFor();
		// Money carries the deployment's currency; the chart's sentiment has a legend in words.
		expect(await page.getByTestId('c360-ltv').textContent()).toMatch(/^CN¥[\d,.]+K?$/);
		expect(await page.getByTestId('journey-legend').textContent()).toMatch(/Negative sentiment.*Positive/);
		await page.screenshot({ path: `${SCREENSHOTS}/customer-360.png`, fullPage: true });
	});

	it('shows the customer 360 in Chinese: axis dates, touchpoints and outcomes, not the words', async () => {
		const id = page.url().split('/').at(-1)!;
		await page.context().addCookies([{ name: 'touchmap_lang', value: 'zh-CN', url: app.url }]);
		await page.goto(`${app.url}/customers/${id}`);
		const ticks = page.getByTestId('journey-chart').locator('[aria-label="x-axis tick label"] text');
		await ticks.first().waitFor();
		const labels = await ticks.allTextContents();
		// Chinese dates ("2026年1月", "4月" or "2026年"), the year on the first tick.
		expect(labels.every((l) => /^(\d{4}年)?(\d{1,2}月)?(\d{1,2}日)?$/.test(l) && l !== '')).toBe(true);
		expect(labels[0]).toMatch(/^\d{4}年/);
		const outcomes = await page.getByTestId('timeline-outcome').allTextContents();
		expect(outcomes.length).toBeGreaterThan(0);
		for (const o of outcomes) expect(['已解决', '未解决', '已转接', '已升级', '已放弃']).toContain(o.trim());
		for (const t of await page.getByTestId('timeline-touchpoint').allTextContents()) expect(t).not.toMatch(/[a-z]{3}/);
		expect(await page.getByTestId('journey-legend').textContent()).toMatch(/负面情感/);
		await page.screenshot({ path: `${SCREENSHOTS}/customer-360-zh.png`, fullPage: true });
		await page.context().clearCookies();
	});

	it('renders in Simplified Chinese', async () => {
		const html = await (await fetch(`${app.url}/customers`, { headers: { cookie: 'touchmap_lang=zh-CN' } })).text();
		expect(html.match(/<h1[^>]*>([^<]*)<\/h1>/)?.[1]).toBe('高价值客户');
		const risk = await (
			await fetch(`${app.url}/customers/at-risk`, { headers: { cookie: 'touchmap_lang=zh-CN' } })
		).text();
		expect(risk).toContain('流失预警');
	});
});
