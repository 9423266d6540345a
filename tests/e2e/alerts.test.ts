/**
 * /admin/alerts against the built app: an admin adds an e-mail destination and a red-pain-point
 * rule with the page's forms, runs the rules, and sees the delivery marked sent while a local SMTP
 * server receives the alert; the page reads in Chinese too.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../helpers/alert-receivers';
import { SCREENSHOTS, startApp, type App } from './harness';

let app: App;
let page: Page;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
	smtp = await startSmtp();
	app = await startApp({
		customers: 600,
		env: {
			TOUCHMAP_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
			TOUCHMAP_ALERTS_WEBHOOK_SECRET: 'e2e-alerts-signing-secret',
			TOUCHMAP_ALERTS_MINUTES: '0'
		}
	});
	page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 900_000);
afterAll(async () => {
	await app?.stop();
	await smtp?.close();
});

describe('admin alerts page', () => {
	it('creates a destination and a rule, runs it, and shows the delivery sent', async () => {
		await page.goto(`${app.url}/admin/alerts`);
		expect(await page.getByTestId('alerts-config').textContent()).toContain('E-mail server configured');

		const dest = page.getByTestId('add-destination');
		await dest.getByLabel('Name').fill('Ops mail');
		await dest.getByTestId('destination-target').fill('ops@example.com');
		await dest.getByRole('button', { name: 'Add destination' }).click();
		await page.getByTestId('destination-ops-mail').waitFor();

		const rule = page.getByTestId('add-rule');
		await rule.getByLabel('Name').fill('Red pain points');
		await rule.getByTestId('rule-kind').selectOption('red_pain_point');
		await rule.getByLabel('Ops mail').check();
		await rule.getByRole('button', { name: 'Create rule' }).click();
		await page.getByTestId('rule-red-pain-points').waitFor();
		expect(await page.getByTestId('rule-red-pain-points').textContent()).toContain('Ops mail');

		await page.getByTestId('evaluate-now').click();
		await page.getByTestId('alerts-message').waitFor();
		// Rules run and mail goes out in the background; the list shows it once sent.
		const deadline = Date.now() + 120_000;
		while ((await page.locator('[data-testid="delivery"][data-status="sent"]').count()) === 0) {
			if (Date.now() > deadline) throw new Error('no delivery was marked sent');
			await new Promise((r) => setTimeout(r, 1000));
			await page.reload();
		}
		const sent = page.locator('[data-testid="delivery"][data-status="sent"]').first();
		expect(await sent.textContent()).toContain('ops@example.com');
		expect(smtp.mails.some((m) => m.to.includes('ops@example.com') && /red pain point/i.test(m.raw))).toBe(true);
		await page.screenshot({ path: `${SCREENSHOTS}/admin-alerts.png`, fullPage: true });
	}, 240_000);

	it('reads in Chinese', async () => {
		await page.context().addCookies([{ name: 'touchmap_lang', value: 'zh-CN', url: app.url }]);
		await page.goto(`${app.url}/admin/alerts`);
		expect(await page.locator('h1').first().textContent()).toContain('告警与订阅');
		expect(await page.getByTestId('rules').textContent()).toContain('新出现或恶化的红色痛点');
	});
});
