import { describe, expect, it } from 'vitest';
import { canCall, canView, isPublicPath, type Role } from '../../src/lib/auth/access';
import { isCrossSiteWrite } from '../../src/lib/server/http/security';
import { RateLimiter } from '../../src/lib/server/http/rate-limit';
import { LoginThrottle } from '../../src/lib/server/auth/throttle';
import { retentionTtl } from '../../src/lib/server/queries/privacy/privacy';

describe('access rules', () => {
	it.each<[Role, string, 'query' | 'mutation', boolean]>([
		['executive', 'kpi.summary', 'query', true],
		['executive', 'journey.map', 'query', true],
		['executive', 'painPoints.get', 'query', false],
		['executive', 'customers.get', 'query', false],
		['executive', 'roi.summary', 'query', true],
		['product', 'painPoints.get', 'query', true],
		['product', 'trends.series', 'query', false],
		['product', 'customers.atRisk', 'query', false],
		['strategist', 'customers.atRisk', 'query', true],
		['strategist', 'settings.updateTargets', 'mutation', false],
		['strategist', 'auth.users', 'query', false],
		['admin', 'settings.updateTargets', 'mutation', true],
		['admin', 'auth.users', 'query', true],
		['product', 'auth.signOut', 'mutation', true],
		['admin', 'unknownArea.thing', 'query', true],
		['strategist', 'unknownArea.thing', 'query', false]
	])('%s → %s (%s): %s', (role, path, type, allowed) => {
		expect(canCall(role, path, type)).toBe(allowed);
	});

	it.each<[Role, string, boolean]>([
		['executive', '/', true],
		['executive', '/journey/paths', true],
		['executive', '/pain-points/abc', false],
		['executive', '/pain-points-export', false],
		['product', '/pain-points/abc/export.csv', true],
		['product', '/customers', false],
		['strategist', '/customers/C-1', true],
		['strategist', '/admin/users', false],
		['admin', '/admin/users', true],
		['product', '/somewhere-new', false]
	])('%s opens %s: %s', (role, path, allowed) => {
		expect(canView(role, path)).toBe(allowed);
	});

	it('leaves sign-in, health and assets public, and webhooks to their signatures', () => {
		expect(isPublicPath('/login')).toBe(true);
		expect(isPublicPath('/healthz')).toBe(true);
		expect(isPublicPath('/_app/immutable/x.js')).toBe(true);
		expect(isPublicPath('/ingest/webhook/zendesk')).toBe(true);
		expect(isPublicPath('/journey')).toBe(false);
		expect(isPublicPath('/loginx')).toBe(false);
	});
});

describe('cross-site writes', () => {
	const url = new URL('https://touchmap.local:3000/api/trpc/settings.updateTargets');
	const req = (method: string, headers: Record<string, string>) =>
		new Request(url, { method, headers: { host: 'touchmap.local:3000', ...headers } });
	it.each([
		['POST', { origin: 'https://evil.example' }, true],
		['POST', { origin: 'http://touchmap.local:3000' }, false], // same host, scheme confusion of adapter-node
		['POST', { origin: 'null' }, true],
		['POST', { 'sec-fetch-site': 'cross-site' }, true],
		['POST', {}, false],
		['GET', { origin: 'https://evil.example' }, false]
	])('%s with %j refused: %s', (method, headers, refused) => {
		expect(isCrossSiteWrite(req(method, headers), url)).toBe(refused);
	});
});

describe('login throttle', () => {
	it('blocks after five failures in the window and says how long to wait', () => {
		const t = new LoginThrottle({ maxFailures: 5, windowMs: 60_000 });
		const keys = ['ip:1.2.3.4', 'email:a@b.c'];
		for (let i = 0; i < 4; i++) t.fail(keys, 1_000 + i);
		expect(t.retryAfter(keys, 2_000)).toBe(0);
		t.fail(keys, 2_000);
		expect(t.retryAfter(keys, 2_000)).toBe(59);
		expect(t.retryAfter(['email:other@b.c'], 2_000)).toBe(0);
		expect(t.retryAfter(keys, 61_001)).toBe(0);
	});
	it('forgets an account’s failures after a success', () => {
		const t = new LoginThrottle({ maxFailures: 2, windowMs: 60_000 });
		t.fail(['email:a@b.c'], 0);
		t.fail(['email:a@b.c'], 1);
		expect(t.retryAfter(['email:a@b.c'], 2)).toBeGreaterThan(0);
		t.succeed(['email:a@b.c']);
		expect(t.retryAfter(['email:a@b.c'], 3)).toBe(0);
	});
});

describe('API rate limit', () => {
	it('allows a burst, then refills at the rate', () => {
		const r = new RateLimiter(10, 20);
		let refused = 0;
		for (let i = 0; i < 25; i++) if (r.take('a', 0) > 0) refused++;
		expect(refused).toBe(5);
		expect(r.take('a', 100)).toBe(0); // 0.1 s → one token back
		expect(r.take('a', 100)).toBeGreaterThan(0);
		expect(r.take('b', 100)).toBe(0); // per client
	});
});

describe('retention TTL', () => {
	it('builds one TTL from allow-listed source names and whole days', () => {
		expect(retentionTtl({ zendesk: 365, calls: 30 })).toBe(
			"toDateTime(ts) + toIntervalDay(multiIf(source = 'calls', 30, source = 'zendesk', 365, 1000000))"
		);
		expect(retentionTtl({})).toBeNull();
	});
	it('refuses names that could break out of the quotes', () => {
		expect(() => retentionTtl({ "x', 1) --": 3 })).toThrow();
		expect(() => retentionTtl({ x: 1.5 })).toThrow();
		expect(() => retentionTtl({ x: 0 })).toThrow();
	});
});
