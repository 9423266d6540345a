/**
 * Key drivers in the browser: the journey map's panel ranks what to fix for CSAT with intervals
 * and sentences, its outcome tabs work from the keyboard (NPS: the demo has none, so it says so),
 * it reads in Chinese and fits a phone; the at-risk page shows churn drivers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'touchmap-e2e-drivers-'));
	const data = join(dir, 'data');
	execFileSync(
		process.execPath,
		['node_modules/tsx/dist/cli.mjs', 'tests/helpers/load-demo.ts', '600', join(dir, 'src')],
		{
			env: { ...process.env, TOUCHMAP_DATA_DIR: data, TOUCHMAP_DEMO: '0' },
			stdio: 'ignore'
		}
	);
	app = await startApp({ dataDir: data, env: { TOUCHMAP_DEMO: '0' } });
	page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
	// Building the app and loading the demo can take minutes on a loaded 2-core machine.
}, 900_000);
afterAll(() => app?.stop());

const panel = () => page.getByTestId('journey-drivers');
const settled = () =>
	expect.poll(async () => panel().locator('[data-state]').first().getAttribute('data-state'), { timeout: 60_000 });

describe('key drivers', () => {
	it('ranks what to fix for CSAT on the journey map, with intervals and sentences', async () => {
		// The app's first page: its queries run cold.
		await page.goto(`${app.url}/journey`, { timeout: 120_000 });
		await panel().waitFor();
		await settled().toBe('ok');
		await panel().getByTestId('drivers-chart').locator('svg').first().waitFor();
		const first = panel().getByTestId('journey-drivers-view-fixes').locator('li').first();
		expect(await first.getAttribute('data-factor')).toBe('touchpoint');
		expect(Number(await first.getAttribute('data-gain'))).toBeGreaterThan(0);
		expect(await first.textContent()).toMatch(
			/would raise CSAT by about [\d.]+ of 10 \(95% interval [\d.]+ to [\d.]+\)/
		);
		expect(await panel().locator('ul.legend').textContent()).toMatch(/Estimated gain.*95% interval/);
		const rows = panel().getByTestId('journey-drivers-view-importance').locator('tbody tr');
		expect(await rows.first().getAttribute('data-factor')).toBe('touchpoint');
		await panel().scrollIntoViewIfNeeded();
		await page.screenshot({ path: `${SCREENSHOTS}/drivers-journey.png`, fullPage: true });
		// The first page of a fresh app: the build's first load and the first fit, on a shared machine.
	}, 240_000);

	it('switches outcome from the keyboard and says when there is nothing to fit', async () => {
		await panel().getByTestId('tab-csat').focus();
		await page.keyboard.press('ArrowRight');
		expect(await panel().getByTestId('tab-nps').getAttribute('aria-selected')).toBe('true');
		await settled().toBe('empty');
		expect(await panel().getByTestId('journey-drivers-empty').textContent()).toMatch(/Too few responses with NPS/);
		await page.keyboard.press('ArrowRight');
		await settled().toBe('ok');
		expect(await panel().getByTestId('journey-drivers-view-fixes').textContent()).toMatch(/negative-sentiment/);
	});

	it('reads in Chinese and fits a phone', async () => {
		await page.context().addCookies([{ name: 'touchmap_lang', value: 'zh-CN', url: app.url }]);
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(`${app.url}/journey`);
		await panel().waitFor();
		await settled().toBe('ok');
		expect(await panel().locator('h2').first().textContent()).toBe('关键驱动因素');
		expect(await panel().getByTestId('journey-drivers-view-fixes').textContent()).toMatch(/CSAT 约可提高/);
		await panel().getByTestId('drivers-chart').locator('svg').first().waitFor();
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(1);
		await panel().scrollIntoViewIfNeeded();
		await page.screenshot({ path: `${SCREENSHOTS}/drivers-journey-phone-zh.png`, fullPage: true });
		await page.context().clearCookies();
		await page.setViewportSize({ width: 1440, height: 1000 });
	});

	it('shows churn drivers on the at-risk page', async () => {
		await page.goto(`${app.url}/customers/at-risk`);
		const churn = page.getByTestId('churn-drivers');
		await churn.waitFor();
		await expect
			.poll(async () => churn.locator('[data-state]').first().getAttribute('data-state'), { timeout: 60_000 })
			.toBe('ok');
		expect(await churn.getByTestId('churn-drivers-view-fixes').textContent()).toMatch(/would cut churn by about/);
		await churn.scrollIntoViewIfNeeded();
		await page.screenshot({ path: `${SCREENSHOTS}/drivers-churn.png`, fullPage: true });
	});
});
