/**
 * /account/alerts against the built app with sign-in on, on a phone: a strategist (not an admin)
 * signs in at the form, finds the rules an admin set up listed, subscribes to one, sees it kept
 * after a reload and stored as theirs, and unsubscribes again — in English, then in Chinese.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, SCREENSHOTS, signInApi, startApp, type App } from './harness';

const PHONE = { width: 390, height: 844 };
const USER = { email: 'strategist@example.com', password: 'strategist-password-1' };
const RULES = [
	{ id: 'rule-red-delivery', name: 'Red pain points', kind: 'red_pain_point' },
	{ id: 'rule-surging-reasons', name: 'Surging reasons', kind: 'reason_surge' }
] as const;
const TEXT = {
	en: { title: 'My alerts', kind: 'New or worsening red pain point', save: 'Save', saved: 'Saved.' },
	'zh-CN': { title: '我的告警', kind: '新出现或恶化的红色痛点', save: '保存', saved: '已保存。' }
} as const;

let app: App;
let page: Page;
let userCookie: string;

async function api(path: string, cookie: string, input?: unknown): Promise<unknown> {
	const res =
		input === undefined
			? await fetch(`${app.url}/api/trpc/${path}`, { headers: { cookie } })
			: await fetch(`${app.url}/api/trpc/${path}`, {
					method: 'POST',
					headers: { cookie, 'content-type': 'application/json' },
					body: JSON.stringify(input)
				});
	const text = await res.text();
	expect(res.status, text.slice(0, 300)).toBe(200);
	return (JSON.parse(text) as { result: { data: unknown } }).result.data;
}

/** The rules the signed-in user's stored subscription names. */
async function storedRules(): Promise<unknown> {
	const mine = (await api('alerts.mySubscription', userCookie)) as { subscription: { rules: unknown } };
	return mine.subscription.rules;
}

beforeAll(async () => {
	app = await startApp({ auth: true, customers: 200, env: { TOUCHMAP_ALERTS_MINUTES: '0' } });
	const admin = await signInApi(app, ADMIN.email, ADMIN.password);
	for (const r of RULES) await api('alerts.saveRule', admin, r);
	await api('auth.createUser', admin, { ...USER, name: 'The strategist', role: 'strategist' });
	userCookie = await signInApi(app, USER.email, USER.password);

	page = await app.browser.newPage({ viewport: PHONE });
	await page.goto(`${app.url}/account/alerts`);
	await page.waitForURL(/\/login\?next=%2Faccount%2Falerts/);
	await page.getByLabel('Email').fill(USER.email);
	await page.getByLabel('Password').fill(USER.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((u) => u.pathname === '/account/alerts');
}, 900_000);
afterAll(() => app?.stop());

describe('my alerts, as a strategist on a phone', () => {
	it.each(['en', 'zh-CN'] as const)(
		'subscribes to a rule and unsubscribes (%s)',
		async (lang) => {
			const t = TEXT[lang];
			await page.context().addCookies([{ name: 'touchmap_lang', value: lang, url: app.url }]);
			await page.goto(`${app.url}/account/alerts`);
			expect(await page.locator('h1').first().textContent()).toContain(t.title);
			const form = page.getByTestId('my-alerts');
			// Both rules the admin set up are offered, with their kind in this language.
			const rule = form.getByLabel(RULES[0].name);
			await rule.waitFor();
			expect(await form.textContent()).toContain(RULES[1].name);
			expect(await form.textContent()).toContain(t.kind);
			expect(await rule.isChecked()).toBe(false);

			await rule.check();
			await form.getByRole('button', { name: t.save }).click();
			await expect.poll(() => form.locator('.ok').textContent()).toContain(t.saved);
			expect(await storedRules()).toEqual([RULES[0].id]);
			// Kept across a reload: the page shows the subscription as stored, the other rule unticked.
			await page.reload();
			await form.getByLabel(RULES[0].name).waitFor();
			expect(await form.getByLabel(RULES[0].name).isChecked()).toBe(true);
			expect(await form.getByLabel(RULES[1].name).isChecked()).toBe(false);
			// Nothing scrolls sideways at phone width.
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
			await page.screenshot({ path: `${SCREENSHOTS}/account-alerts-phone-${lang}.png`, fullPage: true });

			await form.getByLabel(RULES[0].name).uncheck();
			await form.getByRole('button', { name: t.save }).click();
			await expect.poll(() => form.locator('.ok').textContent()).toContain(t.saved);
			expect(await storedRules()).toEqual([]);
			await page.reload();
			await form.getByLabel(RULES[0].name).waitFor();
			expect(await form.getByLabel(RULES[0].name).isChecked()).toBe(false);
		},
		120_000
	);
});
