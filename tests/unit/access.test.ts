import { describe, expect, it } from 'vitest';
import { canCall, canView, isPublicPath, type Role } from '../../src/lib/auth/access';
import { isCrossSiteWrite, servedOverHttps } from '../../src/lib/server/http/security';
import { RateLimiter } from '../../src/lib/server/http/rate-limit';
import { describeBurst, FailureBursts, LoginThrottle } from '../../src/lib/server/auth/throttle';
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

describe('HSTS', () => {
	const req = (headers: Record<string, string> = {}) => new Request('http://touchmap.local/', { headers });
	it.each([
		[{}, {}, false],
		[{ 'x-forwarded-proto': 'https' }, {}, true],
		[{ 'x-forwarded-proto': 'https, http' }, {}, true],
		[{ 'x-forwarded-proto': 'http' }, {}, false],
		[{}, { ORIGIN: 'https://touchmap.example.com' }, true],
		[{}, { ORIGIN: 'http://localhost:3000' }, false],
		[{ 'x-scheme': 'https' }, { PROTOCOL_HEADER: 'x-scheme' }, true]
	])('headers %j, env %j → HSTS %s', (headers, env, on) => {
		expect(servedOverHttps(req(headers), env)).toBe(on);
	});
});

describe('login throttle', () => {
	const k = { ip: '1.2.3.4', email: 'a@b.c' };
	it('lets three failures through, then waits longer each time up to a cap — never refuses', () => {
		const t = new LoginThrottle();
		const waits: number[] = [];
		for (let i = 0; i < 10; i++) {
			waits.push(t.delayMs(k, 1_000 + i));
			t.fail(k, 1_000 + i);
		}
		expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
		expect(t.delayMs({ ip: '5.6.7.8', email: 'a@b.c' }, 2_000)).toBe(15_000); // the account's own cap
		expect(t.delayMs({ ip: '5.6.7.8', email: 'x@b.c' }, 2_000)).toBe(0);
		expect(t.delayMs(k, 1_000 + 15 * 60_000 + 10)).toBe(0); // the window slid past
	});
	it('clears an address on a success there, and refuses only many attempts in flight from one address', () => {
		const t = new LoginThrottle();
		for (let i = 0; i < 5; i++) t.fail({ ip: '9.9.9.9', email: `u${i}@b.c` }, 0);
		expect(t.delayMs({ ip: '9.9.9.9', email: 'new@b.c' }, 1)).toBe(4000);
		t.succeed({ ip: '9.9.9.9', email: 'new@b.c' });
		expect(t.delayMs({ ip: '9.9.9.9', email: 'new@b.c' }, 2)).toBe(0);
		expect([1, 2, 3, 4, 5].map(() => t.begin(k))).toEqual([true, true, true, true, false]);
		expect(t.begin({ ip: '5.6.7.8', email: 'a@b.c' })).toBe(true);
		t.end(k);
		expect(t.begin(k)).toBe(true);
	});
	it('sums a burst of throttled failures into one entry once it has been quiet', () => {
		const b = new FailureBursts(60_000);
		for (let i = 0; i < 50; i++) b.add('a@b.c', `10.0.0.${i % 3}`, 1_000 + i * 1000);
		expect(b.due(60_000)).toEqual([]);
		const [burst, ...more] = b.due(50_000 + 60_000);
		expect(more).toEqual([]);
		expect(describeBurst(burst!)).toBe('throttled: 50 failed attempts from 3 addresses, 00:00:01–00:00:50 UTC');
		expect(b.size).toBe(0);
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
	it('writes odd source names (quotes, slashes, Unicode) as hex, so their rows can be deleted too', () => {
		expect(retentionTtl({ "O'Brien/CRM ü": 30, "x'; DROP": 3 })).toBe(
			"toDateTime(ts) + toIntervalDay(multiIf(source = unhex('4f27427269656e2f43524d20c3bc'), 30, source = unhex('78273b2044524f50'), 3, 1000000))"
		);
	});
	it('keeps names that could break out of the quotes inside a hex literal, and refuses bad days', () => {
		expect(retentionTtl({ "x', 1) --": 3 })).toBe(
			"toDateTime(ts) + toIntervalDay(multiIf(source = unhex('78272c203129202d2d'), 3, 1000000))"
		);
		expect(() => retentionTtl({ '': 3 })).toThrow();
		expect(() => retentionTtl({ x: 1.5 })).toThrow();
		expect(() => retentionTtl({ x: 0 })).toThrow();
	});
});
