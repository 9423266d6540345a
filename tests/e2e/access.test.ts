/**
 * Access control end to end, against the built app with sign-in on: the role matrix (every API
 * procedure and every page × every role and signed out), a fast-check fuzz of the webhooks (the
 * procedures' fuzz is fuzz.test.ts), and a browser signing in as each role — navigation, masked and revealed personal data, the audit entry.
 */
import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/lib/server/trpc/router';
import { painPointId, type PainPointDetail } from '../../schemas/journey';
import { startFakeIdp, type FakeIdp } from '../helpers/fake-idp';
import { ADMIN, SCREENSHOTS, signInApi as signIn, startApp, type App } from './harness';

type Role = 'admin' | 'strategist' | 'executive' | 'product';
const ROLES: Role[] = ['admin', 'strategist', 'executive', 'product'];
const PASSWORD = 'role-password-1';
const email = (role: Role) => (role === 'admin' ? ADMIN.email : `${role}@example.com`);

/**
 * What each role may call, written out here on purpose (not imported from access.ts): this is the
 * product's promise to its users, and the test fails when a new area is not added to it.
 */
const ALL: Role[] = ROLES;
const EXPECTED_QUERY_AREAS: Record<string, Role[]> = {
	auth: ALL,
	kpi: ALL,
	settings: ALL,
	journey: ALL,
	painPoints: ['admin', 'strategist', 'product'],
	reasons: ['admin', 'strategist', 'product'],
	text: ['admin', 'strategist', 'product'],
	customers: ['admin', 'strategist'],
	trends: ['admin', 'strategist', 'executive'],
	roi: ['admin', 'strategist', 'executive'],
	sources: ['admin'],
	admin: ['admin'],
	privacy: ['admin'],
	alerts: ['admin'],
	drivers: ['admin', 'strategist', 'product'],
	actions: ALL
};
const EXPECTED_PROCEDURES: Record<string, Role[]> = {
	'auth.users': ['admin'],
	'auth.audit': ['admin'],
	'auth.signOut': ALL,
	'reasons.rename': ['admin', 'strategist'],
	'reasons.merge': ['admin', 'strategist'],
	'reasons.split': ['admin', 'strategist'],
	'reasons.hide': ['admin', 'strategist'],
	'reasons.setStage': ['admin', 'strategist'],
	'journey.updateRules': ['admin', 'strategist'],
	'journey.updateIntents': ['admin', 'strategist'],
	'journey.applyRules': ['admin', 'strategist'],
	'alerts.mySubscription': ALL,
	'alerts.subscribe': ALL,
	'actions.create': ['admin', 'strategist', 'product'],
	'actions.update': ['admin', 'strategist', 'product']
};
/** Callable signed out. */
const OPEN = new Set(['auth.me', 'auth.signIn']);
const EXPECTED_PAGES: [prefix: string, roles: Role[]][] = [
	['/customers', ['admin', 'strategist']],
	['/pain-points', ['admin', 'strategist', 'product']],
	['/reasons', ['admin', 'strategist', 'product']],
	['/journey', ALL],
	['/trends', ['admin', 'strategist', 'executive']],
	['/roi', ['admin', 'strategist', 'executive']],
	['/admin', ['admin']],
	['/account', ALL],
	['/actions', ALL],
	['/', ALL]
];

const procedures = Object.entries(
	appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[] } }>
).map(([path, p]) => ({ path, type: p._def.type as 'query' | 'mutation', inputs: p._def.inputs }));
const expectedRoles = (path: string, type: string): Role[] =>
	EXPECTED_PROCEDURES[path] ?? (type === 'mutation' ? ['admin'] : (EXPECTED_QUERY_AREAS[path.split('.')[0]!] ?? []));

// Pages known at build time (static routes; dynamic ones are covered by their prefix).
const PAGES = Object.keys(import.meta.glob('/src/routes/**/+page.svelte'))
	.map((p) => p.replace('/src/routes', '').replace(/\/\+page\.svelte$/, '') || '/')
	.filter((p) => !p.includes('[') && p !== '/login');

let app: App;
let idp: FakeIdp;
const cookies = {} as Record<Role, string>;

const signInApi = (address: string, password: string) => signIn(app, address, password);

async function call(path: string, type: string, input: unknown, cookie?: string): Promise<Response> {
	const headers: Record<string, string> = cookie ? { cookie } : {};
	if (type === 'mutation')
		return fetch(`${app.url}/api/trpc/${path}`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: input === undefined ? '' : JSON.stringify(input)
		});
	const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
	return fetch(`${app.url}/api/trpc/${path}${q}`, { headers });
}

beforeAll(async () => {
	idp = await startFakeIdp();
	app = await startApp({
		auth: true,
		customers: 200,
		env: {
			TOUCHMAP_OIDC_ISSUER: idp.issuer,
			TOUCHMAP_OIDC_CLIENT_ID: idp.clientId,
			TOUCHMAP_OIDC_CLIENT_SECRET: idp.clientSecret,
			TOUCHMAP_OIDC_NAME: 'Test IdP',
			TOUCHMAP_OIDC_ROLE_CLAIM: 'touchmap_role'
		}
	});
	cookies.admin = await signInApi(ADMIN.email, ADMIN.password);
	for (const role of ROLES.filter((r) => r !== 'admin')) {
		const res = await call(
			'auth.createUser',
			'mutation',
			{ email: email(role), name: `The ${role}`, role, password: PASSWORD },
			cookies.admin
		);
		expect(res.status).toBe(200);
		cookies[role] = await signInApi(email(role), PASSWORD);
	}
});
afterAll(async () => {
	await app?.stop();
	await idp?.close();
});

describe('role matrix', () => {
	it('knows every API area', () => {
		const unknown = procedures.filter(
			(p) => !EXPECTED_PROCEDURES[p.path] && !EXPECTED_QUERY_AREAS[p.path.split('.')[0]!]
		);
		expect(unknown.map((p) => p.path)).toEqual([]);
	});

	it('gives every procedure × role (and signed out) exactly the allowed answer', async () => {
		const wrong: string[] = [];
		for (const p of procedures) {
			if (p.path === 'auth.signOut' || p.path === 'auth.signIn') continue; // they change the session; tested below
			const allowed = expectedRoles(p.path, p.type);
			for (const role of [...ROLES, null]) {
				const res = await call(p.path, p.type, undefined, role ? cookies[role] : undefined);
				const want = role === null ? (OPEN.has(p.path) ? 'allowed' : 401) : allowed.includes(role) ? 'allowed' : 403;
				const got = res.status === 401 || res.status === 403 ? res.status : res.status < 500 ? 'allowed' : res.status;
				if (got !== want) wrong.push(`${p.path} as ${role ?? 'signed out'}: ${got}, expected ${want}`);
			}
		}
		expect(wrong).toEqual([]);
	}, 240_000); // one request per cell, one after another

	it('gives every page × role exactly the allowed answer', async () => {
		const wrong: string[] = [];
		for (const path of PAGES) {
			const allowed = EXPECTED_PAGES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1] ?? [
				'admin'
			];
			for (const role of [...ROLES, null]) {
				const res = await fetch(`${app.url}${path}`, {
					headers: role ? { cookie: cookies[role] } : {},
					redirect: 'manual'
				});
				const html = res.status === 200 || res.status === 403 ? await res.text() : '';
				// "No access" is the panel in the page and a 403 status, together.
				const got =
					res.status === 303 || res.status === 307
						? `redirect ${new URL(res.headers.get('location')!, app.url).pathname}`
						: res.status === 403 && html.includes('data-testid="forbidden"')
							? 'forbidden'
							: html.includes('data-testid="forbidden"')
								? `forbidden with status ${res.status}`
								: res.status;
				const want =
					role === null
						? 'redirect /login'
						: allowed.includes(role)
							? path === '/admin'
								? 'redirect /admin/sources'
								: 200
							: 'forbidden';
				if (got !== want) wrong.push(`${path} as ${role ?? 'signed out'}: ${got}, expected ${want}`);
			}
		}
		expect(wrong).toEqual([]);
	}, 240_000); // one request per cell, one after another

	it('sends customer data masked from the server, emails and phones inside verbatims too', async () => {
		const res = await call('customers.get', 'query', { id: 'C0000001' }, cookies.strategist);
		expect(res.status).toBe(200);
		const body = await res.text();
		const c = (JSON.parse(body) as { result: { data: { email: string; phone: string; name: string } } }).result.data;
		expect(c.email).toMatch(/^.•••@.•••\.\w+$/);
		expect(c.phone).toMatch(/^•••• \d{4}$/);
		expect(body).not.toMatch(/[\w.]+@example\.(com|cn)/);
	});

	it('names who said a verbatim only to roles that may open customer pages', async () => {
		const input = { id: painPointId('delivery', 'delivery status'), filter: { from: '2026-08-01', to: '2026-10-31' } };
		const ids = async (role: Role) => {
			const res = await call('painPoints.get', 'query', input, cookies[role]);
			expect(res.status).toBe(200);
			const d = ((await res.json()) as { result: { data: PainPointDetail } }).result.data;
			return [...d.verbatims, ...d.interactions.rows].map((r) => r.customerId);
		};
		const seen = await ids('strategist');
		expect(seen.filter((id) => /^C\d+$/.test(id)).length).toBeGreaterThan(5);
		expect(new Set(await ids('product'))).toEqual(new Set(['']));
	});

	it('records exports in the audit log', async () => {
		const res = await fetch(`${app.url}/customers/at-risk/export.csv`, { headers: { cookie: cookies.strategist } });
		expect(res.status).toBe(200);
		await res.text();
		const refused = await fetch(`${app.url}/customers/at-risk/export.csv`, { headers: { cookie: cookies.product } });
		expect(refused.status).toBe(403);
		const audit = (await (await call('auth.audit', 'query', { action: 'export' }, cookies.admin)).json()) as {
			result: { data: { email: string; target: string }[] };
		};
		expect(audit.result.data[0]).toMatchObject({
			email: 'strategist@example.com',
			target: '/customers/at-risk/export.csv'
		});
	});

	it('signs out on the server: the old cookie stops working', async () => {
		const cookie = await signInApi(email('product'), PASSWORD);
		expect((await call('journey.map', 'query', undefined, cookie)).status).not.toBe(401);
		expect((await call('auth.signOut', 'mutation', undefined, cookie)).status).toBe(200);
		expect((await call('kpi.range', 'query', undefined, cookie)).status).toBe(401);
	});
});

describe('webhook fuzz', () => {
	it('answers hostile webhook posts with a 4xx or 2xx, never a 500 or a stack trace', async () => {
		let sent = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.constantFrom('zendesk', 'x', "'; DROP", '..%2F..', 'a'.repeat(300)),
					fc.string({ minLength: 1, maxLength: 40 })
				),
				fc.oneof(fc.string({ maxLength: 2000 }), fc.json(), fc.constant('{"broken":')),
				fc.record(
					{
						'x-touchmap-signature': fc.string({ maxLength: 100 }),
						'x-touchmap-timestamp': fc.oneof(fc.string(), fc.constant('9999999999'))
					},
					{ requiredKeys: [] }
				),
				async (source, body, headers) => {
					const res = await fetch(`${app.url}/ingest/webhook/${encodeURIComponent(source)}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', ...headers },
						body
					});
					sent++;
					const text = await res.text();
					expect(res.status, text.slice(0, 200)).toBeLessThan(500);
					expect(text).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules/);
				}
			),
			{ numRuns: 300, seed: 7 }
		);
		expect(sent).toBe(300);
	});
});

describe('in the browser', () => {
	async function signInAs(role: Role): Promise<Page> {
		const page = await app.browser.newPage({ viewport: { width: 1360, height: 900 } });
		// Asking for a page signed out goes to sign-in, and back to that page (with its filter) after.
		await page.goto(`${app.url}/?from=2026-01-01`);
		await page.waitForURL(/\/login\?next=%2F%3Ffrom%3D2026-01-01/);
		await page.getByLabel('Email').fill(email(role));
		await page.getByLabel('Password').fill(role === 'admin' ? ADMIN.password : PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
		expect(new URL(page.url()).search).toBe('?from=2026-01-01');
		return page;
	}
	const navItems = (page: Page) => page.locator('nav[aria-label] li').allTextContents();

	it('refuses a wrong password at the form, in words', async () => {
		const page = await app.browser.newPage();
		await page.goto(`${app.url}/login`);
		await page.getByLabel('Email').fill('nobody@example.com');
		await page.getByLabel('Password').fill('wrong-password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Wrong email or password');
		await page.screenshot({ path: `${SCREENSHOTS}/login-error.png` });
		await page.close();
	});

	it('keeps what was typed before the page finished loading its script', async () => {
		// A slow connection: the user types while the app's JavaScript is still on its way, and
		// hydration must not wipe the email field (it did, with `value=` instead of `defaultValue=`).
		const page = await app.browser.newPage();
		await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
			await new Promise((r) => setTimeout(r, 1500));
			await route.continue();
		});
		await page.goto(`${app.url}/login`);
		await page.getByLabel('Email').fill('early@example.com');
		await page.getByLabel('Password').fill('wrong-password');
		await page.waitForLoadState('networkidle');
		expect(await page.getByLabel('Email').inputValue()).toBe('early@example.com');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Wrong email or password');
		expect(await page.getByLabel('Email').inputValue()).toBe('early@example.com');
		await page.close();
	});

	it.each(ROLES)('signs in as %s and sees only that role’s navigation', async (role) => {
		const page = await signInAs(role);
		expect(await page.getByTestId('role').textContent()).toBeTruthy();
		const items = (await navItems(page)).join(' | ');
		const shouldSee: Record<Role, RegExp[]> = {
			admin: [/Admin/, /Customers/, /Pain points/],
			strategist: [/Customers/, /Pain points/, /Trends/],
			executive: [/Journey/, /Trends/, /ROI/],
			product: [/Journey/, /Pain points/]
		};
		const shouldNotSee: Record<Role, RegExp[]> = {
			admin: [],
			strategist: [/Admin/],
			executive: [/Customers/, /Pain points/, /Admin/],
			product: [/Customers/, /Trends/, /ROI/, /Admin/]
		};
		for (const re of shouldSee[role]) expect(items).toMatch(re);
		for (const re of shouldNotSee[role]) expect(items).not.toMatch(re);
		if (role !== 'admin') {
			await page.goto(`${app.url}/admin/users`);
			await page.getByTestId('forbidden').waitFor();
		}
		await page.screenshot({ path: `${SCREENSHOTS}/signed-in-${role}.png` });
		await page.close();
	});

	it('shows personal data masked, reveals it to an admin with a reason, and lists the reveal in the audit log', async () => {
		const page = await signInAs('admin');
		await page.goto(`${app.url}/admin/privacy`);
		await page.getByTestId('customer-lookup').fill('C0000001');
		await page.getByTestId('customer-lookup').press('Enter');
		await page.getByTestId('pii').waitFor();
		const maskedEmail = await page.getByTestId('pii-email').textContent();
		expect(maskedEmail).toMatch(/^.•••@.•••\.\w+$/);
		await page.getByTestId('pii-reveal').click();
		await page.getByTestId('pii-reason').fill('customer asked for their data');
		await page.getByTestId('pii-confirm').click();
		await expect.poll(() => page.getByTestId('pii').getAttribute('data-revealed')).toBe('true');
		const revealed = await page.getByTestId('pii-email').textContent();
		expect(revealed).toMatch(/^[^•]+@[^•]+$/);
		await page.screenshot({ path: `${SCREENSHOTS}/pii-revealed.png` });
		await page.goto(`${app.url}/admin/audit?action=pii_reveal`);
		const row = page.locator('[data-testid="audit"] tr[data-action="pii_reveal"]').first();
		await row.waitFor();
		expect(await row.textContent()).toMatch(/admin@touchmap\.local.*C0000001.*customer asked for their data/s);
		await page.screenshot({ path: `${SCREENSHOTS}/audit-log.png` });
		// Signing out ends the session: pages send you back to sign in.
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(/\/login/);
		await page.goto(`${app.url}/`);
		await page.waitForURL(/\/login\?next=%2F/);
		await page.close();
	});

	it('signs in through the OpenID Connect provider: unknown people are refused, known or role-claimed ones get in', async () => {
		const page = await app.browser.newPage();
		const viaSso = async () => {
			await page.goto(`${app.url}/login?next=%2F`);
			await page.getByTestId('sso').click();
			await page.waitForURL((u) => u.pathname === '/' || u.searchParams.has('sso'));
		};
		idp.person = { email: 'stranger@example.com', name: 'Stranger' };
		await viaSso();
		expect(await page.getByTestId('sso-error').textContent()).toContain('no Touchmap account for stranger@example.com');
		idp.person = { email: 'sso.exec@example.com', name: 'SSO Exec', role: 'executive' };
		await viaSso();
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await page.getByTestId('role').textContent()).toBe('Executive');
		// An account an admin made is matched by email, with its own role.
		idp.person = { email: email('product'), name: 'Someone' };
		await page.context().clearCookies();
		await viaSso();
		expect(await page.getByTestId('role').textContent()).toBe('Product team');
		await page.close();
	});

	it('sends security headers and a CSP without inline script on every page', async () => {
		const res = await fetch(`${app.url}/login`);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	});

	it('refuses cross-site writes and oversized bodies', async () => {
		const forged = await fetch(`${app.url}/api/trpc/settings.updateTargets`, {
			method: 'POST',
			headers: { cookie: cookies.admin, origin: 'https://evil.example', 'content-type': 'application/json' },
			body: JSON.stringify({ fcr: 0.1 })
		});
		expect(forged.status).toBe(403);
		const huge = await fetch(`${app.url}/api/trpc/settings.updateTargets`, {
			method: 'POST',
			headers: { cookie: cookies.admin, 'content-type': 'application/json' },
			body: JSON.stringify({ fcr: 'x'.repeat(2_000_000) })
		});
		expect(huge.status).toBe(413);
	});
});
