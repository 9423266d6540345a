/**
 * The page shell as each role meets it, with sign-in on: no page scrolls sideways on a 390-px
 * phone (any role, either language), the nav shows all its items there, no role is offered a
 * link to a page that refuses it (and the refusal is a 403), the admin tabs, skip links, the
 * cells' tooltips on keyboard focus, the filter carried by the nav, and compressed pages.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, SCREENSHOTS, signInApi, startApp, type App } from './harness';

type Role = 'admin' | 'strategist' | 'executive' | 'product';
const ROLES: Role[] = ['admin', 'strategist', 'executive', 'product'];
const PASSWORD = 'role-password-1';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1360, height: 900 };

let app: App;
const cookies = {} as Record<Role, string>;
let pages: string[] = [];

beforeAll(async () => {
	app = await startApp({ auth: true, customers: 400 });
	cookies.admin = await signInApi(app, ADMIN.email, ADMIN.password);
	for (const role of ROLES.filter((r) => r !== 'admin')) {
		const res = await fetch(`${app.url}/api/trpc/auth.createUser`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: cookies.admin },
			body: JSON.stringify({ email: `${role}@example.com`, name: `The ${role}`, role, password: PASSWORD })
		});
		expect(res.status).toBe(200);
		cookies[role] = await signInApi(app, `${role}@example.com`, PASSWORD);
	}
	// Every page, the two with an id reached through their list.
	const list = await (await fetch(`${app.url}/pain-points`, { headers: { cookie: cookies.admin } })).text();
	// Server-rendered links are relative (./pain-points/…, ../customers/…).
	const painPoint = /href="(?:\.{1,2}\/)*(pain-points\/(?!export)[^"?/]+)[?"]/.exec(list)?.[1];
	expect(painPoint).toBeTruthy();
	const atRisk = await (await fetch(`${app.url}/customers/at-risk`, { headers: { cookie: cookies.admin } })).text();
	const customer = /href="(?:\.{1,2}\/)*(customers\/C[^"?/]+)[?"]/.exec(atRisk)?.[1];
	expect(customer).toBeTruthy();
	pages = [
		...Object.keys(import.meta.glob('/src/routes/**/+page.svelte'))
			.map((p) => p.replace('/src/routes', '').replace(/\/\+page\.svelte$/, '') || '/')
			.filter((p) => !p.includes('[') && p !== '/login'),
		`/${painPoint}`,
		`/${customer}`
	];
}, 300_000);
afterAll(() => app?.stop());

async function open(role: Role, viewport: { width: number; height: number }, lang = 'en'): Promise<Page> {
	const page = await app.browser.newPage({ viewport });
	const [name, value] = cookies[role].split('=');
	const url = new URL(app.url);
	await page.context().addCookies([
		{ name: name!, value: value!, domain: url.hostname, path: '/' },
		{ name: 'touchmap_lang', value: lang, domain: url.hostname, path: '/' }
	]);
	return page;
}

/** Waits until the page has drawn its charts and settled. */
async function settle(page: Page): Promise<void> {
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(150);
}

describe('phones', () => {
	it.each(ROLES)(
		'no page scrolls sideways at 390 px as %s, in English and Chinese',
		async (role) => {
			const wide: string[] = [];
			for (const lang of ['en', 'zh-CN']) {
				const page = await open(role, PHONE, lang);
				for (const path of pages) {
					await page.goto(`${app.url}${path}`);
					await settle(page);
					const width = await page.evaluate(() => document.documentElement.scrollWidth);
					if (width > PHONE.width) wide.push(`${path} (${lang}): ${width} px`);
					if (role === 'admin' || role === 'executive')
						await page.screenshot({
							path: `${SCREENSHOTS}/phone-${role}-${lang}${path.replaceAll('/', '_') || '_'}.png`
						});
				}
				await page.close();
			}
			expect(wide).toEqual([]);
		},
		600_000
	);

	it('shows every nav item and a one-line language switch on a phone', async () => {
		const page = await open('admin', PHONE);
		await page.goto(`${app.url}/journey`);
		await settle(page);
		const items = page.locator('nav[aria-label="Main navigation"] a');
		expect(await items.count()).toBe(9);
		for (const box of await items.evaluateAll((as) => as.map((a) => a.getBoundingClientRect().toJSON())))
			expect(box.right).toBeLessThanOrEqual(PHONE.width);
		for (const code of ['en', 'zh-CN']) {
			const h = await page.getByTestId(`lang-${code}`).evaluate((b) => b.getBoundingClientRect().height);
			expect(h).toBeLessThan(34); // one line of 13-px text and its padding
		}
		// The journey map scrolls inside its own box.
		const map = await page
			.getByTestId('journey-map')
			.evaluate((m) => ({ scroll: m.scrollWidth, client: m.clientWidth, overflow: getComputedStyle(m).overflowX }));
		expect(map.overflow).toBe('auto');
		expect(map.scroll).toBeGreaterThan(map.client);
		await page.close();
	}, 120_000);
});

describe('roles', () => {
	it.each(ROLES)(
		'offers %s no link to a page that refuses it',
		async (role) => {
			const page = await open(role, DESKTOP);
			const refused: string[] = [];
			const checked = new Set<string>();
			for (const path of pages) {
				await page.goto(`${app.url}${path}`);
				if (await page.getByTestId('forbidden').count()) continue;
				await settle(page);
				const hrefs = await page.$$eval('a[href]', (as) =>
					as
						.map((a) => new URL((a as HTMLAnchorElement).href))
						.filter((u) => u.origin === location.origin)
						.map((u) => u.pathname)
				);
				for (const href of new Set(hrefs)) {
					if (href.startsWith('/logout') || /\.csv$/.test(href) || checked.has(href)) continue;
					checked.add(href);
					const res = await fetch(`${app.url}${href}`, { headers: { cookie: cookies[role] }, redirect: 'manual' });
					if (res.status === 403) refused.push(`${path} → ${href}`);
				}
			}
			await page.close();
			expect([...new Set(refused)]).toEqual([]);
		},
		600_000
	);

	it('answers a page a role may not open with 403 and the no-access panel', async () => {
		const res = await fetch(`${app.url}/pain-points`, { headers: { cookie: cookies.executive } });
		expect(res.status).toBe(403);
		expect(await res.text()).toContain('data-testid="forbidden"');
		const page = await open('executive', DESKTOP);
		const answer = await page.goto(`${app.url}/customers`);
		expect(answer?.status()).toBe(403);
		await page.getByTestId('forbidden').waitFor();
		await page.screenshot({ path: `${SCREENSHOTS}/forbidden.png` });
		await page.close();
		expect((await fetch(`${app.url}/journey`, { headers: { cookie: cookies.executive } })).status).toBe(200);
	});

	it('shows executives the journey cells without links, their measures still on focus', async () => {
		const page = await open('executive', DESKTOP);
		await page.goto(`${app.url}/journey`);
		await page.getByTestId('journey-map').waitFor();
		expect(await page.locator('a[data-testid="touchpoint"]').count()).toBe(0);
		expect(await page.locator('div[data-testid="touchpoint"]').count()).toBeGreaterThan(5);
		expect(await page.getByTestId('to-pain-points').count()).toBe(0);
		await page.locator('[data-testid="touchpoint"]').first().focus();
		expect(await page.locator('[data-testid="cell-tip"]:visible').count()).toBe(1);
		await page.screenshot({ path: `${SCREENSHOTS}/journey-executive.png` });
		await page.close();
	});
});

describe('admin', () => {
	it('reaches every admin section by its tabs', async () => {
		const page = await open('admin', DESKTOP);
		await page.goto(`${app.url}/`);
		await page.locator('nav[aria-label="Main navigation"] a', { hasText: 'Admin' }).click();
		await page.waitForURL(/\/admin\/sources$/);
		const tabs = page.getByTestId('admin-tabs');
		expect(await tabs.locator('a').allTextContents()).toEqual(['Sources', 'Users', 'Audit log', 'Privacy', 'Alerts']);
		for (const [name, path, heading] of [
			['Users', '/admin/users', 'Users'],
			['Audit log', '/admin/audit', 'Audit log'],
			['Privacy', '/admin/privacy', ''],
			['Alerts', '/admin/alerts', 'Alerts'],
			['Sources', '/admin/sources', 'Data sources']
		] as const) {
			await tabs.getByRole('link', { name }).click();
			await page.waitForURL((u) => u.pathname === path);
			expect(await tabs.locator('[aria-current="page"]').textContent()).toBe(name);
			if (heading) expect(await page.locator('h1').first().textContent()).toContain(heading);
			// The main nav marks Admin as the current section on every admin page.
			expect(await page.locator('nav[aria-label="Main navigation"] a[aria-current]').textContent()).toContain('Admin');
		}
		await page.screenshot({ path: `${SCREENSHOTS}/admin-tabs.png` });
		await page.close();
	});
});

describe('keyboard and the filter', () => {
	it('skips to the journey map in three key presses and shows a cell’s measures on focus', async () => {
		const page = await open('strategist', DESKTOP);
		await page.goto(`${app.url}/journey`);
		await page.getByTestId('journey-map').waitFor();
		await page.keyboard.press('Tab'); // skip to content
		await page.keyboard.press('Tab'); // skip to the map
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the journey map');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('touchpoint');
		const tip = page.locator('[data-testid="cell-tip"]:visible');
		expect(await tip.count()).toBe(1);
		expect(await tip.textContent()).toMatch(/Volume: [\d,]+/);
		await page.screenshot({ path: `${SCREENSHOTS}/journey-tooltip-focus.png` });
		await page.close();
	});

	it('carries the filter across pages through the nav and marks the section on sub-pages', async () => {
		const page = await open('strategist', DESKTOP);
		await page.goto(`${app.url}/journey?from=2026-06-01&to=2026-08-31&channels=phone&sort=negative`);
		await page.getByTestId('journey-map').waitFor();
		const nav = page.locator('nav[aria-label="Main navigation"]');
		await nav.getByRole('link', { name: 'Contact reasons' }).click();
		await page.waitForURL(/\/reasons\?/);
		const u = new URL(page.url());
		expect([u.searchParams.get('from'), u.searchParams.get('to'), u.searchParams.get('channels')]).toEqual([
			'2026-06-01',
			'2026-08-31',
			'phone'
		]);
		expect(u.searchParams.has('sort')).toBe(false);
		await nav.getByRole('link', { name: 'Trends & forecasts' }).click();
		await page.waitForURL(/\/trends\?/);
		expect(await page.getByTestId('filter-from').inputValue()).toBe('2026-06-01');
		// The customers page counts whole months: the 92 days are its "last 90 days" preset.
		await nav.getByRole('link', { name: 'Customers' }).click();
		await page.waitForURL(/\/customers\?/);
		expect(await page.getByTestId('period-3').getAttribute('aria-pressed')).toBe('true');
		expect(await page.locator('[role="group"][aria-label="Period"] button').allTextContents()).toEqual([
			'Last 30 days',
			'Last 90 days',
			'Last 12 months'
		]);
		await nav.getByRole('link', { name: 'Pain points' }).click();
		await page.waitForURL(/\/pain-points\?/);
		await page.locator('[data-testid="pain-point"] a').first().click();
		await page.waitForURL(/\/pain-points\/[^?]+\?/);
		expect(await nav.locator('a[aria-current]').textContent()).toContain('Pain points');
		expect(await nav.locator('a[aria-current]').getAttribute('aria-current')).toBe('location');
		await page.close();
	});

	it('shows a long customer timeline a page at a time, under month headings', async () => {
		const page = await open('strategist', DESKTOP);
		await page.goto(`${app.url}${pages.at(-1)}`);
		await page.getByTestId('timeline').waitFor();
		const count = page.getByTestId('timeline-count');
		const total = Number(/of (\d+)/.exec((await count.textContent())!)?.[1]);
		const entries = page.getByTestId('timeline-entry');
		expect(await entries.count()).toBe(Math.min(40, total));
		const headings = await page.locator('[data-testid="timeline"] h3').allTextContents();
		expect(headings[0]).toMatch(/^[A-Z][a-z]+ \d{4}$/);
		if (total > 40) {
			await page.getByTestId('timeline-more').click();
			expect(await entries.count()).toBe(Math.min(80, total));
		}
		await page.close();
	});

	it('sends pages compressed', async () => {
		const res = await fetch(`${app.url}/journey`, {
			headers: { cookie: cookies.admin, 'accept-encoding': 'br, gzip' }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-encoding')).toBe('br');
		expect((await res.text()).length).toBeGreaterThan(10_000); // fetch decodes it again
	});
});
