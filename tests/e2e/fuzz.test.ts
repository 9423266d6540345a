/**
 * No request can take Touchmap down: every tRPC procedure — enumerated from the router — gets
 * inputs derived from its own zod input schema (mostly valid, so they reach the queries), bent
 * towards the edges: dates at and past the ends of ClickHouse's calendar, huge pages and numbers,
 * deep nesting, odd Unicode. Against the built app with sign-in on, as an admin, a product user and
 * signed out. Every answer must be a result or a 4xx with a message — never a 5xx, a stack trace,
 * or silence: a request that does not answer within HANG_MS counts as a hang. The totals are printed.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/lib/server/trpc/router';
import { ADMIN, signInApi, startApp, type App } from './harness';

const HANG_MS = 5000;
/** Inputs across all procedures; the run takes a minute or two. */
const TOTAL = 1500;
type Role = 'admin' | 'product' | null;
const PASSWORD = 'fuzz-product-password';

const procedures = Object.entries(
	appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: z.ZodType[] } }>
).map(([path, p]) => ({ path, type: p._def.type as 'query' | 'mutation', schema: p._def.inputs[0] }));

/**
 * Mutations whose valid inputs would change what the rest of the run reads, or who may sign in.
 * Discovery and applying the journey rules rewrite every stored month in the background (seconds of
 * work the other calls would queue behind); new rules and intents would change what they rewrite.
 */
const HOSTILE_ONLY = new Set([
	'auth.signIn',
	'auth.createUser',
	'auth.updateUser',
	'privacy.updateRetention',
	'reasons.discover',
	'journey.updateRules',
	'journey.updateIntents',
	'journey.applyRules',
	// Valid destinations would send to whatever host the fuzzer made up; rules run in the background.
	'alerts.saveDestination',
	'alerts.saveRule',
	'alerts.subscribe',
	'alerts.evaluate',
	'alerts.sendDigest',
	'alerts.retry'
]);
const SKIP = new Set(['auth.signOut']);

// Dates around the ends of ClickHouse's Date (1970-01-01..2149-06-06) and DateTime (..2106-02-07).
const EDGE_DAYS = [
	'0000-01-01',
	'0001-01-01',
	'1900-01-01',
	'1969-12-31',
	'1970-01-01',
	'1970-01-02',
	'2024-02-29',
	'2026-02-30',
	'2106-02-05',
	'2106-02-07',
	'2149-06-06',
	'2149-06-07',
	'2299-12-31',
	'9999-12-24',
	'9999-12-31',
	'+010000-01-01',
	'-000001-01-01'
];
const EDGE_RANGES: [string, string][] = [
	['9999-12-24', '9999-12-31'],
	['0000-01-01', '0000-01-07'],
	['1970-01-01', '1970-01-31'],
	['1970-01-02', '1975-01-01'],
	['1970-01-02', '1970-01-02'],
	['2101-03-01', '2106-02-05'],
	['2149-06-01', '2149-06-06'],
	['2021-01-01', '2026-12-31'],
	['2026-10-31', '2026-01-01']
];
const ODD_TEXT = [
	'',
	' ',
	"' OR 1=1 --",
	"'; DROP TABLE interactions; --",
	'{from:String}',
	'{{source}}',
	'<script>alert(1)</script>',
	'../../etc/passwd',
	'\u0000',
	'\u202e\u200d\ufeff',
	'\ud800',
	'Ａ＠ｂ．ｃ',
	'𝕏'.repeat(40),
	'😀'.repeat(50),
	'x'.repeat(5000),
	'=HYPERLINK("http://evil")'
];
const ODD_NUMBERS = [0, -1, -0, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 1, 1_000_000_000, Number.MAX_SAFE_INTEGER];

const oddString = fc.oneof(
	fc.constantFrom(...ODD_TEXT),
	fc.string({ maxLength: 60, unit: 'binary' }),
	fc.string({ maxLength: 20, unit: 'grapheme' })
);
/** Nesting far deeper than any schema: arrays and objects, 10 to 2,000 levels. */
const deep = fc.tuple(fc.integer({ min: 10, max: 2000 }), fc.boolean()).map(([depth, arrays]) => {
	let v: unknown = 'x';
	for (let i = 0; i < depth; i++) v = arrays ? [v] : { from: v };
	return v;
});
const hostile: fc.Arbitrary<unknown> = fc.oneof(
	oddString,
	fc.constantFrom(...ODD_NUMBERS, ...EDGE_DAYS, null, true),
	fc.anything({ maxDepth: 3 }),
	deep
);

type Def = { type: string; [k: string]: unknown };
type Schema = { _zod: { def: Def }; minValue?: number | null; maxValue?: number | null; maxLength?: number | null };

/** Values shaped by a zod schema, leaning on its edges; any part may turn hostile. */
function fromSchema(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
	if (!s || depth > 8) return hostile;
	const def = s._zod.def;
	const inner = (key: string) => fromSchema(def[key] as Schema, depth + 1);
	const shaped = ((): fc.Arbitrary<unknown> => {
		switch (def.type) {
			case 'object': {
				const shape = def.shape as Record<string, Schema>;
				const keys = Object.keys(shape);
				const optional = (k: string) => ['optional', 'default', 'prefault'].includes(shape[k]!._zod.def.type);
				const rec = fc.record(Object.fromEntries(keys.map((k) => [k, fromSchema(shape[k], depth + 1)])), {
					requiredKeys: keys.filter((k) => !optional(k))
				}) as fc.Arbitrary<Record<string, unknown>>;
				if (!keys.includes('from') || !keys.includes('to')) return rec;
				// Date pairs at the edges, so both ends of a range are extreme together.
				return fc
					.tuple(rec, fc.option(fc.constantFrom(...EDGE_RANGES), { freq: 2 }))
					.map(([r, range]) => (range ? { ...r, from: range[0], to: range[1] } : r));
			}
			case 'string': {
				if (def.format === 'date')
					return fc.oneof(
						fc.constantFrom(...EDGE_DAYS),
						fc
							.date({ min: new Date('1969-01-01'), max: new Date('2150-12-31'), noInvalidDate: true })
							.map((d) => d.toISOString().slice(0, 10))
					);
				if (def.format === 'email') return fc.oneof(fc.emailAddress(), oddString);
				const max = s.maxLength ?? 64;
				return fc.oneof(fc.string({ maxLength: Math.min(max, 40) }), fc.constant('y'.repeat(max + 1)), oddString);
			}
			case 'number': {
				const min = Math.max(s.minValue ?? -1e6, -1e9);
				const max = Math.min(s.maxValue ?? 1e6, 1e9);
				return fc.oneof(
					fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
					fc.constantFrom(min, max, min - 1, max + 1, ...ODD_NUMBERS)
				);
			}
			case 'boolean':
				return fc.boolean();
			case 'enum':
				return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
			case 'literal':
				return fc.constantFrom(...(def.values as unknown[]));
			case 'array':
				return fc.array(inner('element'), { maxLength: 25 });
			case 'optional':
			case 'nullable':
			case 'default':
			case 'prefault':
			case 'catch':
			case 'readonly':
				return fc.option(inner('innerType'), { freq: 4, nil: undefined });
			case 'pipe':
				return inner('in');
			case 'union':
				return fc.oneof(...(def.options as Schema[]).map((o) => fromSchema(o, depth + 1)));
			case 'intersection':
				return fc
					.tuple(inner('left'), inner('right'))
					.map(([a, b]) => (a && b && typeof a === 'object' && typeof b === 'object' ? { ...a, ...b } : a));
			case 'record':
				return fc.dictionary(fc.string({ maxLength: 20 }), inner('valueType'), { maxKeys: 10 });
			default:
				return hostile;
		}
	})();
	return fc.oneof({ arbitrary: shaped, weight: 9 }, { arbitrary: hostile, weight: 1 });
}

let app: App;
const cookies: Record<'admin' | 'product', string> = { admin: '', product: '' };

const signIn = (address: string, password: string) => signInApi(app, address, password);

/** One call; `undefined` when it did not answer within HANG_MS. */
async function call(path: string, type: string, input: unknown, role: Role) {
	const headers: Record<string, string> = role ? { cookie: cookies[role] } : {};
	const signal = AbortSignal.timeout(HANG_MS);
	const json = input === undefined ? undefined : JSON.stringify(input);
	try {
		const res =
			type === 'mutation'
				? await fetch(`${app.url}/api/trpc/${path}`, {
						method: 'POST',
						headers: { ...headers, 'content-type': 'application/json' },
						body: json ?? '',
						signal
					})
				: await fetch(`${app.url}/api/trpc/${path}${json === undefined ? '' : `?input=${encodeURIComponent(json)}`}`, {
						headers,
						signal
					});
		return { status: res.status, body: await res.text() };
	} catch (err) {
		if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') return undefined;
		throw err;
	}
}

beforeAll(async () => {
	// A tight query budget: a slow question must answer 422 well before the hang limit.
	app = await startApp({ auth: true, customers: 200, env: { TOUCHMAP_QUERY_SECONDS: '3' } });
	cookies.admin = await signIn(ADMIN.email, ADMIN.password);
	const res = await fetch(`${app.url}/api/trpc/auth.createUser`, {
		method: 'POST',
		headers: { cookie: cookies.admin, 'content-type': 'application/json' },
		body: JSON.stringify({ email: 'fuzz@example.com', name: 'Fuzz', role: 'product', password: PASSWORD })
	});
	expect(res.status).toBe(200);
	cookies.product = await signIn('fuzz@example.com', PASSWORD);
	// The ROI's first answer fits its forecasts (seconds of honest work on a busy machine, not a
	// hang); fuzzed inputs that fall back to the defaults then read it from the answer cache.
	const roi = await fetch(`${app.url}/api/trpc/roi.summary`, { headers: { cookie: cookies.admin } });
	expect(roi.status).toBe(200);
});
afterAll(() => app?.stop());

describe('the probe that took the server down', () => {
	const FAR = { from: '9999-12-24', to: '9999-12-31' };
	it.each([
		['journey.map', FAR],
		['journey.paths', FAR],
		['painPoints.list', FAR],
		['painPoints.get', { id: 'x', filter: FAR }],
		['kpi.summary', { from: '0000-01-01', to: '0000-01-07' }],
		['text.topics', { from: '2149-06-01', to: '2149-06-06' }],
		['trends.series', { from: '1969-12-01', to: '1970-01-31' }]
	])('%s with dates outside ClickHouse’s calendar answers 400 naming the field', async (path, input) => {
		const r = await call(path, 'query', input, 'admin');
		expect(r, 'answered').toBeDefined();
		expect(r!.status).toBe(400);
		expect(r!.body).toMatch(/"message":"[^"]*(from|filter\.from|to): [^"]*1970-01-02 and 2106-02-05/);
	});

	it.each(['/pain-points/export.csv', '/pain-points/x/export.csv', '/journey'])(
		'%s?from=9999-12-24&to=9999-12-31 answers instead of hanging',
		async (route) => {
			const res = await fetch(`${app.url}${route}?from=9999-12-24&to=9999-12-31`, {
				headers: { cookie: cookies.admin },
				signal: AbortSignal.timeout(HANG_MS * 2)
			});
			expect(res.status).toBeLessThan(500);
			if (route.endsWith('.csv')) expect(res.status).toBe(400);
		}
	);

	it('refuses a batch of 150 calls instead of running them', async () => {
		const paths = Array.from({ length: 150 }, () => 'journey.map').join(',');
		const input = Object.fromEntries(
			Array.from({ length: 150 }, (_, i) => [i, { from: '2026-01-01', to: '2026-03-31' }])
		);
		const res = await fetch(`${app.url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, {
			headers: { cookie: cookies.admin },
			signal: AbortSignal.timeout(HANG_MS)
		});
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/Batch call exceeds maximum size/);
	});
});

describe('fuzz', () => {
	it(`answers every procedure's schema-shaped and hostile inputs: no 5xx, no stack trace, no hang (${HANG_MS / 1000} s)`, async () => {
		const usersBefore = (await call('auth.users', 'query', undefined, 'admin'))!.body;
		const rangeBefore = (await call('kpi.range', 'query', undefined, 'admin'))!.body;
		const targets = procedures.filter((p) => !SKIP.has(p.path));
		const runs = Math.max(20, Math.ceil(TOTAL / targets.length));
		const tally = {
			inputs: 0,
			fiveXX: [] as string[],
			hangs: [] as string[],
			traces: [] as string[],
			unexplained: [] as string[]
		};
		for (const [i, p] of targets.entries()) {
			const input = HOSTILE_ONLY.has(p.path) ? hostile : fromSchema(p.schema as unknown as Schema);
			const role = fc.constantFrom<Role>('admin', 'admin', 'admin', 'product', null);
			for (const [value, who] of fc.sample(fc.tuple(fc.option(input, { freq: 12 }), role), {
				numRuns: runs,
				seed: 20261207 + i
			})) {
				const v = value ?? undefined;
				const r = await call(p.path, p.type, v, who);
				tally.inputs++;
				const what = `${p.path} as ${who ?? 'nobody'} ${JSON.stringify(v)?.slice(0, 200)}`;
				if (!r) tally.hangs.push(what);
				else if (r.status >= 500) tally.fiveXX.push(`${r.status} ${what} → ${r.body.slice(0, 200)}`);
				else if (/\n\s+at .+:\d+:\d+|node_modules|\.ts:\d+/.test(r.body)) tally.traces.push(what);
				else if (r.status >= 400 && ![414, 431].includes(r.status) && !/"message":"[^"]+"/.test(r.body))
					tally.unexplained.push(`${r.status} ${what}`);
			}
		}
		console.log(
			`fuzz: ${tally.inputs} inputs to ${targets.length} procedures — ${tally.fiveXX.length} × 5xx, ${tally.hangs.length} hangs, ${tally.traces.length} stack traces`
		);
		expect(tally.fiveXX).toEqual([]);
		expect(tally.hangs).toEqual([]);
		expect(tally.traces).toEqual([]);
		expect(tally.unexplained).toEqual([]);
		expect(tally.inputs).toBeGreaterThanOrEqual(TOTAL);
		// Still up, and nothing the fuzz sent created users or touched the data.
		expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
		expect((await call('auth.users', 'query', undefined, 'admin'))!.body).toBe(usersBefore);
		expect((await call('kpi.range', 'query', undefined, 'admin'))!.body).toBe(rangeBefore);
	}, 600_000);
});
