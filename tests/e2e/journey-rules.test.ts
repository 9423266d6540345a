import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
beforeAll(async () => {
	app = await startApp({ customers: 150 });
	page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 600_000);
afterAll(() => app?.stop());

describe('journey rules page', () => {
	it('edits a rule, applies it to stored data with progress, and the journey map changes', async () => {
		await page.goto(`${app.url}/journey`);
		await page.getByTestId('journey-map').waitFor();
		expect(await page.locator('[data-testid="touchpoint"][data-touchpoint="Money back"]').count()).toBe(0);

		await page.goto(`${app.url}/journey/rules`);
		await page.getByTestId('rules-table').waitFor();
		// The demo's social posts without a hashtag are placed by the keyword rule for refunds.
		const i = await page
			.getByTestId('rule-row')
			.evaluateAll((rows) => rows.findIndex((r) => r.querySelector('input')?.value === 'keywords: refund'));
		expect(i).toBeGreaterThanOrEqual(0);
		await page.getByTestId(`rule-touchpoint-${i}`).fill('Money back');
		await page.getByTestId('rules-save').click();
		await page.getByTestId('rules-message').waitFor();

		// A rule the server refuses comes back as its message, and nothing is saved.
		await page.getByTestId(`rule-keywords-${i}`).fill(' ');
		await page.getByTestId('rules-save').click();
		expect(await page.getByTestId('rules-error').textContent()).toContain('at least one condition');
		await page.getByTestId(`rule-keywords-${i}`).fill('refund, 退款');

		// Rules, intents and applying are tabs, moved between with the arrow keys; drafts are kept.
		expect(await page.getByTestId('apply').isVisible()).toBe(false);
		await page.getByTestId('tab-rules').focus();
		await page.keyboard.press('ArrowRight');
		expect(await page.getByTestId('tab-intents').getAttribute('aria-selected')).toBe('true');
		expect(await page.getByTestId('intents-table').isVisible()).toBe(true);
		expect(await page.getByTestId('rules-table').isVisible()).toBe(false);
		await page.keyboard.press('ArrowRight');
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tab-apply');
		await page.getByTestId('tab-rules').click();
		expect(await page.getByTestId(`rule-keywords-${i}`).inputValue()).toBe('refund, 退款');
		await page.getByTestId('tab-apply').click();
		await page.getByTestId('apply-start').click();
		await page.getByTestId('apply-progress').waitFor();
		await expect
			.poll(() => page.getByTestId('apply-status').getAttribute('data-state'), { timeout: 240_000, interval: 1000 })
			.toBe('done');
		const done = (await page.getByTestId('apply-status').textContent()) ?? '';
		const changed = Number(done.match(/Done: ([\d,]+) interactions/)?.[1]?.replace(/,/g, ''));
		expect(changed).toBeGreaterThan(0);
		await page.screenshot({ path: `${SCREENSHOTS}/journey-rules.png`, fullPage: true });

		await page.goto(`${app.url}/journey`);
		await page.getByTestId('journey-map').waitFor();
		const moved = page.locator('[data-testid="touchpoint"][data-touchpoint="Money back"]');
		expect(await moved.count()).toBeGreaterThanOrEqual(1);
		await page.screenshot({ path: `${SCREENSHOTS}/journey-rules-map.png` });
	}, 400_000);

	it('reads in Simplified Chinese', async () => {
		await page.context().addCookies([{ name: 'touchmap_lang', value: 'zh-CN', url: app.url }]);
		await page.goto(`${app.url}/journey/rules`);
		await page.getByTestId('rules-table').waitFor();
		expect(await page.locator('h1').textContent()).toBe('旅程规则与意图');
		expect(await page.getByTestId('apply-status').textContent()).toContain('完成');
		await page.screenshot({ path: `${SCREENSHOTS}/journey-rules-zh.png`, fullPage: true });
	}, 120_000);
});
