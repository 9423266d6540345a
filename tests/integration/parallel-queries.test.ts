/**
 * The embedded engine with a pool of connections and values written as literals: values read back
 * exactly as written whatever they hold (fuzzed against ClickHouse itself, no statement breaks
 * out), and a short question with bound values is answered while a long one still runs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
	ctx = await freshDb();
	await ctx.db.client.command({ query: 'CREATE TABLE canary (x UInt8) ENGINE = MergeTree ORDER BY x' });
	await ctx.db.client.command({ query: 'INSERT INTO canary VALUES (1)' });
});
afterAll(async () => {
	try {
		// Nothing a fuzzed value held ran as a statement of its own.
		expect(await rows(ctx.db, 'SELECT count() AS n FROM canary')).toEqual([{ n: 1 }]);
	} finally {
		await ctx?.close();
	}
});

const one = async <T>(query: string, query_params: Record<string, unknown>) =>
	(await rows<T>(ctx.db, query, query_params))[0]!;
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();
/** Strings made to break out: quotes, backslashes, comments, placeholders, control characters. */
const hostile = fc
	.array(
		fc.oneof(
			fc.string({ unit: 'binary' }),
			fc.constantFrom("'", '\\', "\\'", "';", '--', '/*', '*/', '{a:String}', '\u0000', '\n', '`', '"', '#!')
		),
		{ maxLength: 8 }
	)
	.map((parts) => parts.join(''))
	.filter((s) => s.isWellFormed());
const day = fc
	.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2149-06-06T00:00:00Z'), noInvalidDate: true })
	.map((d) => d.toISOString().slice(0, 10));

describe('values written as literals (round trip through ClickHouse)', () => {
	it('reads back every string as written', async () => {
		await fc.assert(
			fc.asyncProperty(hostile, async (s) => {
				const r = await one<{ h: string; n: string }>('SELECT hex({s:String}) AS h, length({s:String}) AS n', { s });
				expect(r.h).toBe(hex(s));
			}),
			{ numRuns: 300, seed: 34 }
		);
	});

	it('reads back arrays of strings, integers at their bounds, doubles bit for bit and days', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(hostile, { maxLength: 5 }),
				fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
				fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
				fc.double({ noNaN: true, noDefaultInfinity: true }),
				fc.array(day, { maxLength: 3 }),
				async (a, i, u, f, days) => {
					const r = await one<{ a: string[]; i: string; u: string; f: string; d: string[] }>(
						'SELECT arrayMap(x -> hex(x), {a:Array(String)}) AS a, toString({i:Int64}) AS i, ' +
							'toString({u:UInt64}) AS u, toString(reinterpretAsUInt64({f:Float64})) AS f, ' +
							'arrayMap(x -> toString(x), {d:Array(Date)}) AS d',
						{ a, i: i.toString(), u: u.toString(), f, d: days }
					);
					const bits = new BigUint64Array(new Float64Array([f]).buffer)[0]!.toString();
					expect(r).toEqual({ a: a.map(hex), i: i.toString(), u: u.toString(), f: bits, d: days });
				}
			),
			{ numRuns: 200, seed: 34 }
		);
	});

	it('reads back times to the millisecond', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('2105-12-31T00:00:00Z'), noInvalidDate: true }),
				async (d) => {
					const text = d.toISOString().replace('T', ' ').slice(0, 23);
					const r = await one<{ t: string }>("SELECT toString({t:DateTime64(3)}, 'UTC') AS t", { t: d });
					expect(r.t).toBe(text);
				}
			),
			{ numRuns: 100, seed: 34 }
		);
	});

	it('refuses a value its type cannot hold before the query runs', async () => {
		await expect(rows(ctx.db, 'SELECT {n:UInt8} AS n', { n: 300 })).rejects.toThrow(
			/query parameter n: .*out of range/
		);
		await expect(rows(ctx.db, 'SELECT {d:Date} AS d', { d: "2024-01-01'); DROP TABLE canary; --" })).rejects.toThrow(
			/YYYY-MM-DD/
		);
	});
});

describe('parallel queries on the embedded engine', () => {
	it('answers a short question with bound values while a long one runs', async () => {
		const done: string[] = [];
		const slow = rows(ctx.db, 'SELECT count() AS n FROM numbers({n:UInt64}) WHERE sipHash64(number) % 7 = {r:UInt8}', {
			n: 200_000_000,
			r: 3
		}).then(() => done.push('slow'));
		// Let the slow query start on its connection first.
		await new Promise((r) => setTimeout(r, 100));
		const fast = rows(ctx.db, 'SELECT {a:String} AS a', { a: 'x' }).then(() => done.push('fast'));
		await Promise.all([slow, fast]);
		expect(done).toEqual(['fast', 'slow']);
	}, 180_000);

	it('runs every connection in the database Touchmap uses', async () => {
		const dbs = await Promise.all(
			Array.from({ length: 8 }, () =>
				one<{ d: string }>('SELECT currentDatabase() AS d, sleepEachRow(0.05) AS s FROM numbers(1)', {})
			)
		);
		expect(new Set(dbs.map((r) => r.d))).toEqual(new Set([ctx.db.database]));
	});
});
