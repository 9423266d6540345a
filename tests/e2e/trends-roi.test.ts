import { copyFileSync, readFileSync } from 'node:fs';
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

describe('/trends', () => {
	it('shows the KPI with forecast bands, its target line, accuracy and anomalies', async () => {
		await page.goto(`${app.url}/trends?kpi=fcr&interval=week&horizon=12`);
		const chart = page.getByTestId('forecast-chart');
		await chart.locator('svg').waitFor();
		// 12 weekly forecast points drawn as two bands (80% / 95%) and a target line at 75%.
		expect(await chart.getAttribute('data-bands')).toBe('12');
		expect(await chart.getAttribute('data-target')).toBe('0.75');
		expect(await chart.locator('svg .band-95 path').getAttribute('d')).toMatch(/^M[\d.,LZ-]+/);
		expect(await chart.locator('svg .band-80 path').getAttribute('d')).toMatch(/^M[\d.,LZ-]+/);
		expect(await chart.locator('svg').textContent()).toMatch(/Target 75\.0%/);
		const legend = await page.getByTestId('legend').textContent();
		expect(legend).toMatch(/80% interval/);
		expect(legend).toMatch(/95% interval/);
		expect(legend).toMatch(/Target \(75\.0%\)/);
		expect(await page.getByTestId('mase').textContent()).toMatch(/\d\.\d\d/);
		// MASE and anomaly sizes in plain words, in the KPI's own unit.
		expect(await page.getByTestId('mase-words').textContent()).toMatch(
			/errors in the backtest were \d+% (smaller|larger) than repeating the same week last year/
		);
		await page.getByTestId('anomalies').waitFor();
		for (const cell of await page.getByTestId('anomaly-size').all())
			expect(await cell.textContent()).toMatch(
				/[▲▼]\s+[\d.]+% (above its top|below its bottom)\s*\([\d.]+× the range's half-width\)/
			);
		await page.screenshot({ path: `${SCREENSHOTS}/trends-fcr.png`, fullPage: true });
	});

	it('switches KPI, horizon and breakdown through the controls', async () => {
		await page.getByTestId('kpi-picker').selectOption('volume');
		await page.waitForURL(/kpi=volume/);
		await page.getByTestId('horizon').selectOption('26');
		await page.waitForURL(/horizon=26/);
		await expect.poll(() => page.getByTestId('forecast-chart').getAttribute('data-bands')).toBe('26');
		await page.screenshot({ path: `${SCREENSHOTS}/trends-volume.png`, fullPage: true });
		await page.getByTestId('breakdown').selectOption('channel');
		await page.waitForURL(/breakdown=channel/);
		await expect.poll(() => page.getByTestId('forecast-chart').getAttribute('data-bands')).toBe('0');
		expect(await page.getByTestId('legend').textContent()).toMatch(/Phone/);
		await page.screenshot({ path: `${SCREENSHOTS}/trends-by-channel.png`, fullPage: true });
	});

	it('stores the reporting time zone', async () => {
		await page.getByTestId('time-zone').selectOption('Asia/Shanghai');
		await expect
			.poll(async () => {
				const res = await fetch(`${app.url}/api/trpc/settings.get`);
				return ((await res.json()) as { result: { data: { display: { timeZone: string } } } }).result.data.display
					.timeZone;
			})
			.toBe('Asia/Shanghai');
		await page.reload();
		expect(await page.getByTestId('time-zone').inputValue()).toBe('Asia/Shanghai');
		await page.getByTestId('time-zone').selectOption('UTC');
		await expect.poll(() => page.getByTestId('time-zone').inputValue()).toBe('UTC');
	});

	it('renders in Simplified Chinese', async () => {
		await page.context().addCookies([{ name: 'touchmap_lang', value: 'zh-CN', url: app.url }]);
		await page.goto(`${app.url}/trends?kpi=csat`);
		await page.getByTestId('forecast-chart').locator('svg').waitFor();
		expect(await page.locator('h1').textContent()).toBe('趋势与预测');
		await page.screenshot({ path: `${SCREENSHOTS}/trends-zh.png`, fullPage: true });
		await page.context().clearCookies();
	});
});

describe('/roi', () => {
	it('shows scorecards against targets and recomputes when an assumption changes', async () => {
		await page.goto(`${app.url}/roi`);
		await page.getByTestId('score-fcr').waitFor();
		for (const k of ['fcr', 'csat', 'complaints', 'aht', 'firstResponse'])
			expect(await page.getByTestId(`score-${k}`).textContent()).toMatch(/Baseline[\s\S]*Target/);
		expect(await page.getByTestId('score-fcr').textContent()).toMatch(/75\.0%/);
		// Each target names what measures it; the demo's stored reference case is "as set".
		expect(await page.getByTestId('measured-by-fcr').textContent()).toMatch(/^\s*Measured by .*\(phone\)/);
		expect(await page.getByTestId('measured-by-firstResponse').textContent()).toMatch(
			/Measured by|Not measured on phone or chat/
		);
		expect(await page.getByTestId('roi-periods').textContent()).toMatch(/Baseline 2024-11-01 – 2025-04-30.*\(as set\)/);
		await page.screenshot({ path: `${SCREENSHOTS}/roi.png`, fullPage: true });

		const before = await page.getByTestId('measured-benefit').textContent();

		// The demo's churn is spread over its history: the baseline half-year measures churn, so the
		// retention term is a number, and it names the data each factor comes from.
		expect(await page.getByTestId('measured-missing-retention').count()).toBe(0);
		expect(await page.getByTestId('roi-warning-retentionNoBaseline').count()).toBe(0);
		expect(await page.getByTestId('measured-src-retention').textContent()).toMatch(
			/^\s*Churn \d+\.\d% → \d+\.\d% a year \(CRM churn dates\) × [\d,]+ customers \(measured: not churned in the CRM\) × CLV CN¥18K \(assumed\)/
		);
		expect(await page.getByTestId('measured-src-handleTime').textContent()).toMatch(/× CN¥12 a minute \(assumed\)/);
		expect(await page.getByTestId('measured-clv-src').textContent()).toMatch(/churn rates of the two periods/);
		// CLV 18,000 against customers' orders in CNY worth far less on average: a warning with both figures.
		expect(await page.getByTestId('roi-warning-clvAboveMeasured').textContent()).toMatch(
			/CN¥18K\) is \d+× what a customer's orders in CNY are worth on average \(CN¥[\d.,]+K?, over \d+ customers\)/
		);
		// The demo's handle time (about 9 min) is within the 12-min target from the baseline on: no
		// "progress 0%" beside "target met".
		expect(await page.getByTestId('progress-aht').textContent()).toMatch(/The baseline already met the target/);
		// Rates are edited as percentages, money in the ROI's currency.
		expect(await page.getByTestId('a-discountRate').inputValue()).toBe('8');
		expect(await page.getByTestId('assumptions').textContent()).toMatch(/Cost per handling minute \(CNY\)/);
		// Raise the technology investment and a unit cost: both show after saving (the ROI itself
		// rounds to −100% either way on the demo's small measured benefit).
		await page.getByTestId('inv-1').fill('120000000');
		await page.getByTestId('a-costPerMinute').fill('40');
		await page.getByTestId('save-assumptions').click();
		await page.getByTestId('saved').waitFor();
		await expect.poll(() => page.getByTestId('measured-investment').textContent()).toBe('CN¥135M');
		await expect.poll(() => page.getByTestId('measured-benefit').textContent()).not.toBe(before);
		// The stored assumptions survive a reload.
		await page.reload();
		expect(await page.getByTestId('a-costPerMinute').inputValue()).toBe('40');
		await page.screenshot({ path: `${SCREENSHOTS}/roi-after-save.png`, fullPage: true });
	});

	it('exports the numbers as CSV and the page as PNG, in the browser', async () => {
		const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('roi-export-csv').click()]);
		expect(csv.suggestedFilename()).toBe('touchmap-roi.csv');
		const text = readFileSync((await csv.path())!, 'utf8');
		expect(text).toMatch(/^\ufeffsection,item,baseline,current,target,progress,reach_by\r\n/);
		expect(text).toMatch(/\r\nroi,annual_benefit,,-?[\d.e+-]+,/);
		expect(text).toMatch(/\r\nscorecard,fcr,0\.\d+,0\.\d+,0\.75,/);
		const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('roi-export-png').click()]);
		const bytes = readFileSync((await png.path())!);
		expect(bytes.subarray(1, 4).toString()).toBe('PNG');
		expect(bytes.length).toBeGreaterThan(20_000);
		copyFileSync((await png.path())!, `${SCREENSHOTS}/roi-export.png`);
	});

	it('what-if sliders recompute beside the measured case', async () => {
		const measured = await page.getByTestId('measured-benefit').textContent();
		const whatIf = await page.getByTestId('whatif-benefit').textContent();
		// The sliders open at no change from the baseline, not at the measured swing.
		for (const k of ['churn', 'aht', 'complaints', 'contacts'])
			expect(await page.getByTestId(`slider-value-${k}`).textContent()).toBe('±0%');
		expect(whatIf).toBe('CN¥0');
		// Churn measured in the baseline: its slider moves the benefit.
		expect(await page.getByTestId('slider-churn').isDisabled()).toBe(false);
		await page.getByTestId('slider-churn').fill('-0.5');
		await expect.poll(() => page.getByTestId('whatif-benefit').textContent()).not.toBe(whatIf);
		await page.getByTestId('reset-what-if').click();
		await page.getByTestId('slider-aht').fill('-0.33');
		await expect.poll(() => page.getByTestId('whatif-benefit').textContent()).not.toBe(whatIf);
		expect(await page.getByTestId('measured-benefit').textContent()).toBe(measured);
		await page.getByTestId('reset-what-if').click();
		await expect.poll(() => page.getByTestId('whatif-benefit').textContent()).toBe(measured);
		// The plan case asks nothing of a handle time already within its target.
		expect(await page.getByTestId('plan-case').textContent()).toMatch(/AHT ±0%, complaints −40%, CLV \+18%/);
		await page.getByTestId('plan-case').click();
		expect(await page.getByTestId('whatif-src-handleTime').textContent()).toMatch(/Handle time (\d+\.\d min) → \1 /);
		// An unchanged level is a term with no change, not a stray amount.
		expect(await page.getByTestId('whatif-same-handleTime').textContent()).toBe('no change');
		await page.getByTestId('no-change').click();
		await expect.poll(() => page.getByTestId('whatif-benefit').textContent()).toBe('CN¥0');
		await page.screenshot({ path: `${SCREENSHOTS}/roi-what-if.png`, fullPage: true });
	});

	it('renders the ROI page in Simplified Chinese, each figure with its source', async () => {
		await page.context().addCookies([{ name: 'touchmap_lang', value: 'zh-CN', url: app.url }]);
		await page.goto(`${app.url}/roi`);
		await page.getByTestId('score-fcr').waitFor();
		expect(await page.getByTestId('measured-src-retention').textContent()).toMatch(/CRM 流失日期/);
		expect(await page.getByTestId('progress-aht').textContent()).toMatch(/基线期已达到目标/);
		await page.screenshot({ path: `${SCREENSHOTS}/roi-zh.png`, fullPage: true });
		await page.context().clearCookies();
	});
});
