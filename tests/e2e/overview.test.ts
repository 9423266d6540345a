import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
beforeAll(async () => {
	app = await startApp();
	page = await app.browser.newPage({ viewport: { width: 1360, height: 1000 } });
});
afterAll(() => app?.stop());

const value = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));

describe('overview page', () => {
	it('shows KPI tiles with numbers from the database and both charts', async () => {
		await page.goto(app.url);
		await page.getByTestId('kpi-interactions').waitFor();
		expect(await value('kpi-interactions')).toBeGreaterThan(100);
		expect(await value('kpi-customers')).toBeGreaterThan(10);
		const fcr = await value('kpi-fcr');
		expect(fcr).toBeGreaterThan(0);
		expect(fcr).toBeLessThan(1);
		expect(await page.getByTestId('kpi-fcr').textContent()).toMatch(/Target 75%/);
		// The status is told in words and an icon, not colour alone.
		expect(await page.getByTestId('kpi-fcr').locator('.status').textContent()).toMatch(
			fcr >= 0.75 ? /✓\s*On target/ : /▼\s*[\d.]+ pts below target/
		);
		expect(await page.getByTestId('kpi-aht').textContent()).toMatch(/Target 12 min/);
		await page.getByTestId('trend-chart').locator('svg').first().waitFor();
		expect(await page.getByTestId('trend-chart').locator('rect').count()).toBeGreaterThan(5);
		expect(await page.getByTestId('channel-mix-chart').locator('svg').count()).toBe(1);
		// Weekly ticks are labelled by our own locale-aware formatter.
		expect(await page.getByTestId('trend-chart').locator('svg').first().textContent()).toMatch(
			/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d+/
		);
		// Hovering a bar shows a tooltip naming the week and its numbers.
		const bar = page.getByTestId('trend-chart').locator('svg').first().locator('rect').nth(3);
		await bar.hover();
		const tip = page.getByTestId('trend-chart').locator('[aria-label="tip"]').first();
		await expect.poll(() => tip.textContent()).toMatch(/Week of .*Interactions per week: [\d,]+/);
		await page.screenshot({ path: `${SCREENSHOTS}/overview.png`, fullPage: true });
	});

	it('filters by channel: the URL and the numbers change, and the API agrees', async () => {
		const all = await value('kpi-interactions');
		await page.getByTestId('channel-phone').click();
		await page.waitForURL(/channels=phone/);
		await expect.poll(() => value('kpi-interactions')).toBeLessThan(all);
		const phone = await value('kpi-interactions');
		expect(phone).toBeGreaterThan(0);
		// The tile shows what the API answers for the same filter.
		const url = new URL(page.url());
		const input = JSON.stringify({
			from: url.searchParams.get('from'),
			to: url.searchParams.get('to'),
			channels: ['phone']
		});
		const api = (await (await fetch(`${app.url}/api/trpc/kpi.summary?input=${encodeURIComponent(input)}`)).json()) as {
			result: { data: { interactions: number } };
		};
		expect(api.result.data.interactions).toBe(phone);
		expect(await page.getByTestId('channel-phone').getAttribute('aria-pressed')).toBe('true');
		await page.screenshot({ path: `${SCREENSHOTS}/overview-phone.png`, fullPage: true });
	});

	it('keeps the filter in the URL across a reload', async () => {
		const before = await value('kpi-interactions');
		await page.reload();
		await page.getByTestId('kpi-interactions').waitFor();
		expect(await value('kpi-interactions')).toBe(before);
		await page.getByTestId('channel-all').click();
		await page.waitForURL((u) => !u.searchParams.has('channels'));
	});

	it('switches the interface to Simplified Chinese', async () => {
		await page.getByTestId('lang-zh-CN').click();
		await expect.poll(() => page.locator('h1').textContent()).toBe('服务总览');
		expect(await page.getByTestId('kpi-fcr').textContent()).toContain('首次解决率');
		await page.reload();
		expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
		await page.getByTestId('trend-chart').locator('svg').first().waitFor();
		expect(await page.getByTestId('trend-chart').locator('svg').first().textContent()).toMatch(/\d+月\d+日/);
		expect(await page.getByTestId('channel-phone').textContent()).toBe('电话');
		await page.screenshot({ path: `${SCREENSHOTS}/overview-zh.png`, fullPage: true });
		await page.getByTestId('lang-en').click();
	});

	it('renders each request in its own language when requests interleave', async () => {
		const langs = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'zh-CN' : 'en'));
		const pages = await Promise.all(
			langs.map((lang) => fetch(app.url, { headers: { cookie: `touchmap_lang=${lang}` } }).then((r) => r.text()))
		);
		pages.forEach((html, i) => {
			const title = html.match(/<h1[^>]*>([^<]*)<\/h1>/)?.[1];
			expect(title).toBe(langs[i] === 'en' ? 'Service overview' : '服务总览');
			expect(html).toContain(`<html lang="${langs[i]}"`);
		});
	});

	it('is usable from the keyboard: skip link first, coming-soon pages are not links', async () => {
		await page.goto(app.url);
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
		await page.keyboard.press('Enter');
		await page.waitForURL(/#main$/);
		const nav = page.getByRole('navigation');
		// Ready pages are links (the overview at least); coming-soon entries are not.
		expect(await nav.getByRole('link').count()).toBeGreaterThanOrEqual(1);
		expect(await nav.locator('[aria-disabled="true"]').count()).toBeGreaterThan(0);
		expect(await nav.locator('[aria-disabled="true"] a, a[aria-disabled="true"]').count()).toBe(0);
		expect(await nav.textContent()).toContain('coming soon');
	});

	it('fits a phone-sized screen without sideways scrolling', async () => {
		const phone = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
		await phone.goto(app.url);
		await phone.getByTestId('channel-mix-chart').locator('svg').waitFor();
		const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await phone.screenshot({ path: `${SCREENSHOTS}/overview-narrow.png`, fullPage: true });
		await phone.close();
	});

	it('shows an empty state for a period without data and an error for an impossible one', async () => {
		await page.goto(`${app.url}/?from=2001-01-01&to=2001-01-31`);
		await page.getByTestId('empty').waitFor();
		await page.goto(`${app.url}/?from=2025-02-01&to=2025-01-01`);
		await page.getByTestId('error').waitFor();
		expect(await page.getByTestId('error').textContent()).toMatch(/from must not be after to/);
	});
});
