import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
beforeAll(async () => {
	app = await startApp({ customers: 600 });
	page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
});
afterAll(() => app?.stop());

describe('journey map', () => {
	it('shows stages, coloured pain points with labels, the legend and the emotion curve', async () => {
		await page.goto(`${app.url}/journey`);
		await page.getByTestId('journey-map').waitFor();
		const stages = await page.locator('[role="columnheader"]').allTextContents();
		expect(stages.join(' ')).toMatch(/Awareness.*Consideration.*Purchase.*Delivery.*After-sales.*Loyalty/);
		const red = page.locator('[data-testid="touchpoint"][data-severity="red"]');
		expect(await red.count()).toBeGreaterThanOrEqual(1);
		expect(await red.first().textContent()).toContain('Severe');
		expect(await page.locator('[data-testid="touchpoint"][data-severity="yellow"]').count()).toBeGreaterThanOrEqual(1);
		const legend = await page.getByTestId('legend').textContent();
		expect(legend).toMatch(/Severe.*Moderate.*Minor/);
		await page.getByTestId('emotion-curve').locator('svg').first().waitFor();
		expect(Number(await page.getByTestId('total-interactions').getAttribute('data-value'))).toBeGreaterThan(100);
		// The map's customer count is a sketch's estimate (the Sankey's is exact): it says so, on focus too.
		const customers = page.getByTestId('total-customers');
		expect(await customers.textContent()).toMatch(/^≈[\d,]+ customers/);
		await customers.focus();
		expect(await customers.getByRole('tooltip').isVisible()).toBe(true);
		expect(await customers.getByRole('tooltip').textContent()).toMatch(/Customer paths count them exactly/);
		await page.screenshot({ path: `${SCREENSHOTS}/journey.png`, fullPage: true });
	});

	it('fits every stage at 1360 px, and hints at scrolling where they do not fit', async () => {
		const fits = async () =>
			page.evaluate(() => {
				const map = document.querySelector('[data-testid="journey-map"]')!;
				const heads = [...document.querySelectorAll('[role="columnheader"]')];
				return {
					scrolls: map.scrollWidth > map.clientWidth + 1,
					lastInside: heads.at(-1)!.getBoundingClientRect().right <= map.getBoundingClientRect().right,
					hint: getComputedStyle(document.querySelector('[data-testid="map-scroll-hint"]')!).display
				};
			});
		await page.setViewportSize({ width: 1360, height: 900 });
		expect(await fits()).toEqual({ scrolls: false, lastInside: true, hint: 'none' });
		await page.setViewportSize({ width: 390, height: 844 });
		await expect.poll(fits).toEqual({ scrolls: true, lastInside: false, hint: 'block' });
		await page.setViewportSize({ width: 1440, height: 1000 });
	});

	it('keeps filters in the URL', async () => {
		await page.getByTestId('filter-segment').selectOption('high');
		await page.waitForURL(/segment=high/);
		await page.getByTestId('journey-map').waitFor();
		await page.getByTestId('channel-phone').click();
		await page.waitForURL(/channels=phone/);
		await page.reload();
		expect(await page.getByTestId('channel-phone').getAttribute('aria-pressed')).toBe('true');
		expect(await page.getByTestId('filter-segment').inputValue()).toBe('high');
		await page.getByTestId('channel-all').click();
		await page.waitForURL((u) => !u.searchParams.has('channels'));
		await page.getByTestId('filter-segment').selectOption('all');
		await page.waitForURL((u) => !u.searchParams.has('segment'));
	});

	it('clicks a red pain point, lands on its detail with verbatims, exports CSV', async () => {
		const red = page.locator('[data-testid="touchpoint"][data-severity="red"]').first();
		const name = await red.getAttribute('data-touchpoint');
		await red.click();
		await page.waitForURL(/\/pain-points\/[A-Za-z0-9_-]+/);
		await page.getByTestId('verbatims').waitFor();
		expect(await page.getByTestId('pain-point-title').textContent()).toContain(name!);
		expect(await page.getByTestId('pain-point-title').textContent()).toContain('Severe');
		expect(await page.getByTestId('verbatim').count()).toBeGreaterThanOrEqual(3);
		// Sentiment and source are words, not only colours; contact details are masked.
		const first = await page.getByTestId('verbatim').first().textContent();
		expect(first).toMatch(/Negative|Neutral|Positive|No sentiment/);
		expect(await page.getByTestId('interaction-row').count()).toBe(25);
		// Each verbatim and row of a known customer links to that customer's page.
		const who = page.getByTestId('verbatim-customer');
		expect(await who.count()).toBeGreaterThan(0);
		expect(await who.first().getAttribute('href')).toMatch(/^\/customers\/C\d+$/);
		expect(await page.getByTestId('row-customer').first().getAttribute('href')).toMatch(/^\/customers\/C\d+$/);
		expect(await page.getByTestId('factors').textContent()).toMatch(/complaint rate/);
		// Impact in words and units, the absolute floors crossed and the worst channel by its rate.
		expect(await page.getByTestId('impact-explained').textContent()).toMatch(
			/Impact [\d,]+ = score [\d.]+ × [\d,]+ (customers|people)/
		);
		expect(await page.getByTestId('floors').textContent()).toMatch(/below the absolute floor: CSAT [\d.]+ of 10/);
		expect(await page.getByTestId('worst-channel').textContent()).toMatch(/Worst channel: .+ — .+ \d+%/);
		// Segments are compared by the rate that drives the severity, named in the heading.
		expect(await page.getByTestId('segments-by').textContent()).toBe('Affected segments by low-CSAT share');
		await page.screenshot({ path: `${SCREENSHOTS}/pain-point-detail.png`, fullPage: true });
		// Verbatims are searched, filtered and sorted in place, and say how many are shown.
		const all = await page.getByTestId('verbatim').count();
		await page.getByTestId('verbatim-sort').selectOption('negative');
		await page.getByTestId('verbatim-mood').selectOption('negative');
		await expect.poll(() => page.getByTestId('verbatim').count()).toBeLessThanOrEqual(all);
		for (const v of await page.getByTestId('verbatim').all()) expect(await v.textContent()).toMatch(/Negative/);
		const word = (await page.getByTestId('verbatim').first().locator('blockquote').textContent())!
			.replace(/[“”]/g, '')
			.split(/\s+/)
			.find((w) => w.length > 4)!;
		await page.getByTestId('verbatim-search').fill(word);
		for (const v of await page.getByTestId('verbatim').all())
			expect((await v.textContent())!.toLowerCase()).toContain(word.toLowerCase());
		expect(await page.getByTestId('verbatim-count').textContent()).toMatch(new RegExp(`\\d+ of ${all} shown`));
		await page.screenshot({ path: `${SCREENSHOTS}/pain-point-verbatims-filtered.png`, fullPage: true });
		await page.getByTestId('verbatim-search').fill('');
		await page.getByTestId('verbatim-mood').selectOption('');

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('export-interactions').click()
		]);
		const csv = readFileSync((await download.path())!, 'utf8');
		const lines = csv.trim().split(/\r\n/);
		expect(lines[0]).toMatch(/interaction_id,time_utc,source,channel/);
		const total = Number(
			(await page.getByTestId('interactions').textContent())!.match(/([\d,]+) interactions/)![1]!.replace(/,/g, '')
		);
		expect(lines.length - 1).toBeGreaterThanOrEqual(total);
		expect(csv).not.toMatch(/@example\.(com|cn)/);

		await page.getByTestId('next-page').click();
		await page.waitForURL(/page=2/);
		await page.getByTestId('interaction-row').first().waitFor();
	});

	it('lists pain points ranked, red first, with sparklines and a CSV export', async () => {
		await page.goto(`${app.url}/pain-points`);
		await page.getByTestId('pain-point-list').waitFor();
		const sev = await page
			.getByTestId('pain-point')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-severity')));
		expect(sev[0]).toBe('red');
		expect(sev.indexOf('red')).toBeLessThan(sev.indexOf('yellow'));
		expect(await page.locator('[data-testid="pain-point"] svg path').count()).toBeGreaterThanOrEqual(sev.length);
		expect(await page.getByTestId('impact-help').textContent()).toMatch(/Impact = severity score × reach/);
		expect(await page.getByTestId('impact').first().textContent()).toMatch(/score [\d.]+ × [\d,]+ (customers|people)/);
		expect(await page.getByTestId('worst-channel').first().textContent()).toMatch(/ — .+ \d+%/);
		await page.screenshot({ path: `${SCREENSHOTS}/pain-points.png`, fullPage: true });
		const res = await fetch(`${app.url}/pain-points/export.csv?${new URL(page.url()).searchParams}`);
		expect(res.status).toBe(400); // no range in the URL yet → a readable 400, not a 500
		const href = await page.getByTestId('export-list').getAttribute('href');
		const ok = await fetch(`${app.url}${href}`);
		expect(ok.status).toBe(200);
		const text = await ok.text();
		expect(text.split(/\r\n/).length - 2).toBe(sev.length);
		// Figures are plain numbers a spreadsheet can sum (0.1, not "0.1000").
		const [, ...body] = parse(text, { bom: true }) as string[][];
		const figures = body.flat().filter((c) => /^-?\d+(\.\d+)?$/.test(c));
		expect(figures.length).toBeGreaterThan(body.length * 4);
		for (const f of figures) expect(f).not.toMatch(/\.\d*0$/);
		// By contact reason: the switch keeps the filter, and the export lists the same rows.
		await page.getByTestId('by-reason').click();
		await page.waitForURL(/by=reason/);
		expect(await page.getByTestId('by-reason').getAttribute('aria-pressed')).toBe('true');
		expect(await page.getByTestId('export-list').getAttribute('href')).toMatch(/by=reason/);
		await page.getByTestId('by-touchpoint').click();
		await page.waitForURL((u) => !u.searchParams.has('by'));
	});

	it('shows customer paths as a Sankey; clicking a node focuses the journey map', async () => {
		await page.goto(`${app.url}/journey/paths?depth=5`);
		await page.getByTestId('sankey').waitFor();
		expect(await page.getByTestId('sankey-node').count()).toBeGreaterThan(5);
		expect(await page.getByTestId('channel-switching').textContent()).toMatch(/3\+ channel/);
		await page.screenshot({ path: `${SCREENSHOTS}/journey-paths.png`, fullPage: true });
		const node = page.locator('[data-testid="sankey-node"][data-label="delivery"]').first();
		await node.click();
		await page.waitForURL(/\/journey\?.*focus=delivery/);
		await page.getByTestId('journey-map').waitFor();
		expect(await page.locator('[role="columnheader"]').count()).toBe(1);
		await page.getByTestId('clear-focus').click();
		await page.waitForURL((u) => !u.searchParams.has('focus'));
	});

	it('switches to Simplified Chinese', async () => {
		await page.goto(`${app.url}/journey`);
		await page.getByTestId('lang-zh-CN').click();
		await expect.poll(() => page.locator('h1').textContent()).toBe('客户旅程地图');
		expect(await page.getByTestId('legend').textContent()).toMatch(/严重.*中等.*轻微/);
		await page.screenshot({ path: `${SCREENSHOTS}/journey-zh.png`, fullPage: true });
		await page.getByTestId('lang-en').click();
	});
});
