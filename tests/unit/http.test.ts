import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoff, getJson, HttpError, retryAfterMs } from '../../ingest/sources/connectors/http';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server';

let server: FixtureServer;
const waits: number[] = [];
const opts = { backoffMs: 100, sleep: async (ms: number) => void waits.push(ms), random: () => 0.5 };

beforeAll(async () => {
	server = await startFixtureServer({
		'/ok': () => ({ body: { a: 1 } }),
		'/rate': (_u, hit) =>
			hit === 1 ? { status: 429, headers: { 'retry-after': '7' }, body: {} } : { body: { ok: true } },
		'/flaky': (_u, hit) => (hit <= 2 ? { status: 503, body: 'down' } : { body: { ok: 2 } }),
		'/broken': (_u, hit) => (hit === 1 ? { body: '{"tickets": [' } : { body: { fixed: true } }),
		'/always-broken': () => ({ body: '{"tickets": [' }),
		'/slow': (_u, hit) => (hit === 1 ? { delay: 400, body: {} } : { body: { fast: true } }),
		'/forbidden': () => ({ status: 403, body: { error: 'no' } }),
		'/down': () => ({ status: 500, body: 'oops' })
	});
});
afterAll(() => server.close());

describe('http helper', () => {
	it('parses JSON', async () => {
		expect(await getJson(`${server.url}/ok`, opts)).toEqual({ a: 1 });
	});
	it('honours Retry-After on 429', async () => {
		waits.length = 0;
		expect(await getJson(`${server.url}/rate`, opts)).toEqual({ ok: true });
		expect(waits).toEqual([7000]);
	});
	it('retries 5xx with exponential backoff and jitter', async () => {
		waits.length = 0;
		expect(await getJson(`${server.url}/flaky`, opts)).toEqual({ ok: 2 });
		expect(waits).toEqual([50, 100]); // 0.5 × 100 × 2^0, 0.5 × 100 × 2^1
	});
	it('retries a broken JSON body, and gives up with the body kept', async () => {
		expect(await getJson(`${server.url}/broken`, opts)).toEqual({ fixed: true });
		const err = (await getJson(`${server.url}/always-broken`, { ...opts, attempts: 2 }).catch(
			(e: HttpError) => e
		)) as HttpError;
		expect(err).toBeInstanceOf(HttpError);
		expect(err.status).toBe(-1);
		expect(err.body).toBe('{"tickets": [');
	});
	it('times out a slow answer and retries', async () => {
		expect(await getJson(`${server.url}/slow`, { ...opts, timeoutMs: 150 })).toEqual({ fast: true });
	});
	it('does not retry a 403', async () => {
		const before = server.log.filter((l) => l === '/forbidden').length;
		const err = await getJson(`${server.url}/forbidden`, opts).catch((e: HttpError) => e);
		expect((err as HttpError).status).toBe(403);
		expect(server.log.filter((l) => l === '/forbidden').length - before).toBe(1);
	});
	it('gives up after the attempts', async () => {
		const err = await getJson(`${server.url}/down`, { ...opts, attempts: 3 }).catch((e: HttpError) => e);
		expect((err as HttpError).status).toBe(500);
		expect(server.log.filter((l) => l === '/down')).toHaveLength(3);
	});
	it('reads Retry-After as seconds or a date, and caps backoff', () => {
		expect(retryAfterMs('3')).toBe(3000);
		expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
		expect(retryAfterMs('soon')).toBeUndefined();
		expect(backoff(10, 500, 2000, () => 1)).toBe(2000);
	});
});
