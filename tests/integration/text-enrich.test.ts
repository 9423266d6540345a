import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../ingest/demo/load';
import { rescore } from '../../ingest/enrichment/text/rescore';
import { nameWords } from '../../src/lib/server/queries/privacy/names';
import { SAMPLE_SQL } from '../../src/lib/server/queries/text/topics';
import { createCaller } from '../../src/lib/server/trpc/router';
import { expectParses, freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
	ctx = await freshDb();
	await loadDemo(ctx.db, { customers: 60, seed: 5, sourceDir: join(ctx.dir, 'demo-source') });
});
afterAll(() => ctx.close());

interface Totals {
	n: number;
	ids: number;
	s_sum: number;
	s_n: number;
	own_sum: number;
	filled: number;
}
const totals = async () =>
	(
		await rows<Totals>(
			ctx.db,
			`SELECT count() AS n, uniqExact(interaction_id) AS ids, sum(sentiment) AS s_sum, count(sentiment) AS s_n,
			 sumIf(sentiment, NOT position(attributes['text_enriched'], 'sentiment')) AS own_sum,
			 countIf(position(attributes['text_enriched'], 'sentiment') > 0) AS filled
			 FROM interactions`
		)
	)[0]!;
const rollup = async (table: string) =>
	(
		await rows<{ n: number; s_sum: number; s_n: number }>(
			ctx.db,
			`SELECT sum(interactions) AS n, sum(sentiment_sum) AS s_sum, sum(sentiment_n) AS s_n FROM ${table}`
		)
	)[0]!;

describe('text enrichment at ingest', () => {
	it('fills sentiment only where the source left it empty, and records what it filled', async () => {
		const t = await totals();
		expect(Number(t.filled)).toBeGreaterThan(100);
		const [bad] = await rows<{ n: number }>(
			ctx.db,
			`SELECT count() AS n FROM interactions WHERE text != '' AND language IN ('en', 'zh') AND sentiment IS NULL`
		);
		expect(Number(bad!.n)).toBe(0);
	});

	it("carries each identified contact's CRM tier on the row (what journey_daily_mv reads)", async () => {
		const [t] = await rows<{ n: number; gold: number; wrong: number }>(
			ctx.db,
			`SELECT count() AS n, countIf(i.tier = 'gold') AS gold, countIf(i.tier != c.tier) AS wrong
			 FROM interactions AS i INNER JOIN (SELECT customer_id, argMax(tier, updated_at) AS tier FROM customers
				GROUP BY customer_id) AS c ON i.customer_id = c.customer_id`
		);
		expect(Number(t!.n)).toBeGreaterThan(1000);
		expect(Number(t!.gold)).toBeGreaterThan(0);
		expect(Number(t!.wrong)).toBe(0);
		const [anon] = await rows<{ n: number }>(
			ctx.db,
			"SELECT countIf(tier != '') AS n FROM interactions WHERE customer_id = ''"
		);
		expect(Number(anon!.n)).toBe(0);
	});
});

// Re-scoring rewrites months through ClickHouse mutations, which take long on a loaded machine.
const REWRITE_TIMEOUT = 180_000;

describe('npm run enrich (re-scoring)', () => {
	it(
		'restores scores after a simulated model change, without duplicates, and keeps roll-ups consistent',
		async () => {
			const before = await totals();
			const byTier = async () =>
				rows<{ tier: string; n: number }>(
					ctx.db,
					'SELECT tier, sum(interactions) AS n FROM journey_daily GROUP BY tier HAVING n > 0 ORDER BY tier'
				);
			const tiersBefore = await byTier();
			expect(tiersBefore.map((t) => t.tier)).toContain('gold');
			// Rows as stored before interactions carried the tier (migration 20261124_0100): the re-score
			// writes them again, and they keep the tier journey_daily_mv used to look up.
			await ctx.db.client.command({
				query: `ALTER TABLE interactions UPDATE tier = '' WHERE tier != ''`,
				clickhouse_settings: { mutations_sync: '2' }
			});
			// A "model change": every score we filled flips to ±0.9 on the other side of 0, behind the
			// roll-ups' back (mutations do not fire materialised views), so the roll-ups are now
			// inconsistent with the rows — and every filled row is far from what the models give it (a
			// fixed value could be some text's own score, which the re-score rightly leaves alone).
			await ctx.db.client.command({
				query: `ALTER TABLE interactions UPDATE sentiment = if(sentiment > 0, -0.9, 0.9) WHERE position(attributes['text_enriched'], 'sentiment') > 0`,
				clickhouse_settings: { mutations_sync: '2' }
			});
			const changed = await totals();
			expect(Number(changed.s_sum)).not.toBeCloseTo(Number(before.s_sum), 0);

			const s = await rescore(ctx.db, { since: new Date('2000-01-01T00:00:00Z') });
			expect(s.changed).toBe(Number(before.filled));
			const after = await totals();
			expect(Number(after.n)).toBe(Number(before.n));
			expect(Number(after.ids)).toBe(Number(after.n));
			expect(Number(after.s_n)).toBe(Number(before.s_n));
			expect(Number(after.s_sum)).toBeCloseTo(Number(before.s_sum), 1);
			// A source's own sentiment is never touched.
			expect(Number(after.own_sum)).toBeCloseTo(Number(before.own_sum), 3);
			for (const table of ['kpi_daily', 'kpi_weekly', 'kpi_monthly']) {
				const r = await rollup(table);
				expect(Number(r.n), table).toBe(Number(after.n));
				expect(Number(r.s_n), table).toBe(Number(after.s_n));
				expect(Number(r.s_sum), table).toBeCloseTo(Number(after.s_sum), 1);
			}
			const [keys] = await rows<{ n: number }>(ctx.db, 'SELECT uniqExact(interaction_id) AS n FROM interaction_keys');
			expect(Number(keys!.n)).toBe(Number(after.n));
			expect(await byTier()).toEqual(tiersBefore);
			const [blank] = await rows<{ n: number }>(
				ctx.db,
				"SELECT count() AS n FROM interactions WHERE customer_id != '' AND tier = '' AND toYYYYMM(ts) IN (SELECT DISTINCT toYYYYMM(day) FROM journey_daily)"
			);
			expect(Number(blank!.n)).toBe(0);
		},
		REWRITE_TIMEOUT
	);

	it('changes nothing when run again with the same models', async () => {
		const s = await rescore(ctx.db, { since: new Date('2000-01-01T00:00:00Z') });
		expect(s.changed).toBe(0);
		expect(s.scanned).toBeGreaterThan(0);
	});

	it(
		'only touches months from --since on',
		async () => {
			const [m] = await rows<{ m: string }>(ctx.db, 'SELECT max(ts) AS m FROM interactions');
			await ctx.db.client.command({
				query: `ALTER TABLE interactions UPDATE sentiment = 0.5 WHERE position(attributes['text_enriched'], 'sentiment') > 0`,
				clickhouse_settings: { mutations_sync: '2' }
			});
			const since = new Date(new Date(m!.m.replace(' ', 'T') + 'Z').getTime() - 86_400_000);
			// A tiny batch: change rows are written while the scan is still streaming.
			const s = await rescore(ctx.db, { since, batch: 7 });
			expect(s.months).toBeLessThanOrEqual(2);
			const [left] = await rows<{ n: number }>(
				ctx.db,
				`SELECT countIf(sentiment = 0.5) AS n FROM interactions WHERE ts < {since:DateTime64(3)}`,
				{ since: since.toISOString().replace('T', ' ').replace('Z', '') }
			);
			expect(Number(left!.n)).toBeGreaterThan(0);
		},
		REWRITE_TIMEOUT
	);
});

describe('text.topics', () => {
	const range = async () => {
		const [r] = await rows<{ from: string; to: string }>(
			ctx.db,
			'SELECT toString(toDate(min(ts))) AS from, toString(toDate(max(ts))) AS to FROM interactions'
		);
		// At most two years, ending at the last day with data.
		const to = r!.to;
		const from = new Date(Math.max(Date.parse(r!.from), Date.parse(to) - 700 * 86_400_000)).toISOString().slice(0, 10);
		return { from, to };
	};

	const sampleParams = (p: Record<string, unknown> = {}) => ({
		from: '2025-01-01 00:00:00',
		to: '2025-02-01 00:00:00',
		stage: '',
		touchpoint: '',
		channel: '',
		intent: '',
		negative_only: 0,
		inside: 1,
		limit: 10,
		...p
	});

	it('sample SQL parses in ClickHouse', async () => {
		for (const sql of Object.values(SAMPLE_SQL)) await expectParses(ctx.db, sql, sampleParams());
	});

	it('reads the same texts from the kept hash sample as from every text, whenever it holds enough', async () => {
		const { from, to } = await range();
		let compared = 0;
		// Small limits: the demo here has a few thousand texts, so the sample holds a few hundred. No
		// negative-only case: the re-scoring tests above rewrite sentiments in place, past every view.
		for (const p of [
			{ limit: 50 },
			{ limit: 5, intent: 'delivery' },
			{ limit: 30, intent: 'delivery', inside: 0 },
			{ limit: 3, channel: 'email' }
		]) {
			const params = sampleParams({ from: `${from} 00:00:00`, to: `${to} 23:59:59`, ...p });
			const kept = await rows<{ text: string }>(ctx.db, SAMPLE_SQL.kept, params);
			const all = await rows<{ text: string }>(ctx.db, SAMPLE_SQL.all, params);
			// Fewer than asked for: the query falls back to every text, so only a full sample must agree.
			if (kept.length < params.limit) continue;
			expect(kept).toEqual(all);
			compared++;
		}
		expect(compared).toBeGreaterThanOrEqual(3);
	});

	it('finds delivery words for the delivery intent against the rest of the range', async () => {
		const caller = createCaller({ db: ctx.db });
		const out = await caller.text.topics({ ...(await range()), intent: 'delivery', limit: 15 });
		expect(out.background).toBe('rest_of_range');
		expect(out.sample.target).toBeGreaterThan(20);
		const terms = out.terms.map((t) => t.term).join(' ');
		expect(terms).toMatch(/deliver|tracking|courier|order|快递|物流|送到|订单/);
		expect(terms).not.toMatch(/password|密码/);
		for (const t of out.terms) expect(t.count).toBeGreaterThan(0);
	});

	it("tells the words of customers' names among many, case aside", async () => {
		const [named] = await rows<{ name: string }>(
			ctx.db,
			"SELECT name FROM customers WHERE match(name, '^[A-Za-z]+ [A-Za-z]+$') ORDER BY customer_id LIMIT 1"
		);
		const [first, last] = named!.name.toLowerCase().split(' ');
		// More words than one query takes (multiSearchAny's 255), the names among the last ones.
		const filler = Array.from({ length: 300 }, (_, i) => `delivery${i}`);
		const found = await nameWords(ctx.db.client, [...filler, 'late delivery', `${first} ${last!.toUpperCase()}`]);
		expect([...found].sort()).toEqual([first, last].sort());
	});

	it('rejects bad input with BAD_REQUEST and a readable message', async () => {
		const caller = createCaller({ db: ctx.db });
		await expect(caller.text.topics({ from: '2020-01-01', to: '2025-01-01' })).rejects.toThrow(/at most 2 years/);
		await expect(
			caller.text.topics({ from: '2025-01-01', to: '2025-01-31', channel: 'fax' as 'phone' })
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});
