/**
 * The journey map and pain points on the demo data: every planted pain point in ground-truth.json
 * is flagged at its stage and touchpoint with its planted colour, no unplanted cell is red, and
 * the API answers bad input with a readable 400-style error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../ingest/demo/load';
import { expectParses, freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof import('../../src/lib/server/trpc/router').createCaller>;
let truth: {
	painPoints: { stage: string; touchpoint: string; severity: 'red' | 'yellow' | 'blue'; since: string | null }[];
};
const DEMO = { customers: 1500, seed: 42 };
// The last three months of the demo: every planted problem (billing since 2026-01) is active.
const FILTER = { from: '2026-08-03', to: '2026-10-31' };

beforeAll(async () => {
	ctx = await freshDb();
	const sourceDir = join(ctx.dir, 'demo-source');
	await loadDemoIfEmpty(ctx.db, { ...DEMO, sourceDir });
	truth = JSON.parse(readFileSync(join(sourceDir, 'ground-truth.json'), 'utf8'));
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	caller = createCaller({ db: ctx.db });
	// Generating and loading the demo takes minutes on a loaded 2-core machine.
}, 600_000);
afterAll(() => ctx?.close());

describe('journey map on the demo data', () => {
	it('flags every planted pain point at its stage and touchpoint with the planted colour', async () => {
		const map = await caller.journey.map(FILTER);
		expect(truth.painPoints.length).toBe(5);
		console.log(
			map.touchpoints
				.map(
					(t) =>
						`${t.touchpoint} ${t.severity.severity} ${t.severity.score.toFixed(3)} ${t.severity.multiplier.toFixed(2)} ` +
						t.severity.floors.map((f) => `${f.measure} ${f.value.toFixed(2)} ≥ ${f.level}`).join(', ')
				)
				.join('\n')
		);
		for (const p of truth.painPoints) {
			const tp = map.touchpoints.find((t) => t.stage === p.stage && t.touchpoint === p.touchpoint);
			expect(tp, `${p.stage}/${p.touchpoint}`).toBeDefined();
			expect(`${p.stage}/${p.touchpoint}: ${tp!.severity.severity}`).toBe(`${p.stage}/${p.touchpoint}: ${p.severity}`);
			expect(tp!.severity.why.length).toBeGreaterThan(0);
		}
	});

	it('flags no unplanted touchpoint or channel cell red', async () => {
		const map = await caller.journey.map(FILTER);
		const planted = new Set(truth.painPoints.map((p) => `${p.stage}/${p.touchpoint}`));
		const red = [...map.touchpoints, ...map.cells].filter(
			(c) => c.severity.severity === 'red' && !planted.has(`${c.stage}/${c.touchpoint}`)
		);
		expect(red.map((c) => `${c.stage}/${c.touchpoint}/${c.channel}`)).toEqual([]);
		const unplanted = map.touchpoints.filter((t) => !planted.has(`${t.stage}/${t.touchpoint}`));
		expect(unplanted.length).toBeGreaterThanOrEqual(5);
		expect(unplanted.every((t) => t.severity.severity === 'none')).toBe(true);
	});

	it('holds over the whole 2026 and the default 90 days too', async () => {
		for (const f of [
			{ from: '2026-01-01', to: '2026-10-31' },
			{ from: '2026-08-02', to: '2026-10-31' }
		]) {
			const map = await caller.journey.map(f);
			for (const p of truth.painPoints) {
				const tp = map.touchpoints.find((t) => t.stage === p.stage && t.touchpoint === p.touchpoint);
				expect(`${f.from} ${p.touchpoint}: ${tp?.severity.severity}`).toBe(`${f.from} ${p.touchpoint}: ${p.severity}`);
			}
		}
	});

	it('agrees with the raw rows and counts unassigned interactions', async () => {
		const map = await caller.journey.map(FILTER);
		const [raw] = await rows<{ n: string; unassigned: string; complaints: string }>(
			ctx.db,
			`SELECT count() AS n, countIf(stage = '') AS unassigned, countIf(is_complaint = 1 AND touchpoint = 'delivery status') AS complaints
			 FROM interactions WHERE toDate(ts) BETWEEN {from:Date} AND {to:Date}`,
			FILTER
		);
		expect(map.totals.interactions).toBe(Number(raw!.n));
		expect(map.unassigned.interactions).toBe(Number(raw!.unassigned));
		const delivery = map.touchpoints.find((t) => t.touchpoint === 'delivery status')!;
		expect(delivery.complaints).toBe(Number(raw!.complaints));
		// Stages come in lifecycle order; the emotion curve has a value per stage.
		expect(map.stages).toEqual(['awareness', 'consideration', 'purchase', 'delivery', 'after_sales', 'loyalty']);
		expect(map.stageCells.every((s) => s.csat !== null)).toBe(true);
		expect(map.filter.prevTo).toBe('2026-08-02');
	});

	it('filters by segment, channel and scenario', async () => {
		const all = await caller.journey.map(FILTER);
		const high = await caller.journey.map({ ...FILTER, segment: 'high' });
		const other = await caller.journey.map({ ...FILTER, segment: 'other' });
		expect(high.totals.interactions + other.totals.interactions).toBe(all.totals.interactions);
		expect(high.totals.interactions).toBeGreaterThan(0);
		const phone = await caller.journey.map({ ...FILTER, channels: ['phone'] });
		expect(phone.cells.every((c) => c.channel === 'phone')).toBe(true);
		const complaint = await caller.journey.map({ ...FILTER, scenarios: ['complaint'] });
		expect(complaint.touchpoints.map((t) => t.touchpoint)).toEqual(['billing inquiry']);
	});

	it('rejects bad input with a readable message', async () => {
		await expect(caller.journey.map({ from: '2026-10-31', to: '2026-01-01' })).rejects.toThrow(
			/from must not be after to/
		);
		await expect(caller.journey.map({ ...FILTER, channels: ['fax' as never] })).rejects.toThrow(/channels/);
		await expect(caller.journey.map({ from: '2010-01-01', to: '2026-01-01' })).rejects.toThrow(/at most 5 years/);
	});
});

describe('pain points', () => {
	it('lists flagged pain points, red first, ranked by impact, with sparklines', async () => {
		const list = await caller.painPoints.list(FILTER);
		expect(list.items.map((p) => p.severity.severity)).toEqual(['red', 'red', 'yellow', 'yellow', 'blue']);
		expect(list.items[0]!.severity.impact).toBeGreaterThanOrEqual(list.items[1]!.severity.impact);
		expect(list.interval).toBe('week');
		expect(list.items[0]!.spark.length).toBeGreaterThanOrEqual(12);
		expect(list.items[0]!.worstChannel).not.toBe('');
	});

	it('drills into a pain point: trend, segments, terms, masked verbatims, paginated rows', async () => {
		const list = await caller.painPoints.list(FILTER);
		const delivery = list.items.find((p) => p.touchpoint === 'delivery status')!;
		const d = await caller.painPoints.get({ id: delivery.id, filter: FILTER, pageSize: 10 });
		expect(d.stage).toBe('delivery');
		expect(d.cell?.severity.severity).toBe('red');
		expect(d.trend.length).toBeGreaterThan(10);
		expect(d.segments.some((s) => s.dimension === 'channel' && s.value === 'phone')).toBe(true);
		// Segments are judged by the rate that drives the severity (low CSAT here), with their reach.
		expect(d.segmentFactor).toBe('lowCsat');
		const raw = await rows<{ channel: string; n: number; low: number; people: number }>(
			ctx.db,
			`SELECT channel, count(csat_10) AS n, countIf(csat_10 <= 4) AS low,
				uniqExactIf(customer_id, customer_id != '')
					+ uniqExactIf(multiIf(attributes['profile'] != '', attributes['profile'], attributes['handle'] != '', attributes['handle'], attributes['author']),
						customer_id = '' AND (attributes['profile'] != '' OR attributes['handle'] != '' OR attributes['author'] != ''))
					+ countIf(customer_id = '' AND attributes['profile'] = '' AND attributes['handle'] = '' AND attributes['author'] = '') AS people
			FROM interactions
			WHERE stage = 'delivery' AND touchpoint = 'delivery status' AND toDate(ts) BETWEEN {from:Date} AND {to:Date}
			GROUP BY channel`,
			FILTER
		);
		const channels = d.segments.filter((s) => s.dimension === 'channel');
		expect(channels.length).toBe(raw.length);
		for (const r of raw) {
			const seg = channels.find((s) => s.value === r.channel)!;
			expect(seg.sample).toBe(Number(r.n));
			expect(seg.rate).toBe(Number(r.n) >= 20 ? Number(r.low) / Number(r.n) : null);
			expect(Math.abs(seg.reach - Number(r.people))).toBeLessThanOrEqual(Math.max(2, 0.02 * Number(r.people)));
		}
		expect(channels.some((s) => s.rate !== null && s.rate > 0.5)).toBe(true);
		expect(d.verbatims.length).toBeGreaterThan(3);
		expect(new Set(d.verbatims.map((v) => v.source)).size).toBeGreaterThanOrEqual(2);
		expect(d.verbatims.every((v) => !/@\w+\.\w+/.test(v.text))).toBe(true);
		// The most telling words first: within each source, no later verbatim is more telling.
		const telling = (v: (typeof d.verbatims)[number]) =>
			Number(v.isComplaint) + Number((v.sentiment ?? 0) < -0.25) + Number((v.csat ?? 10) <= 4);
		for (const source of new Set(d.verbatims.map((v) => v.source))) {
			const scores = d.verbatims.filter((v) => v.source === source).map(telling);
			expect(scores).toEqual([...scores].sort((a, b) => b - a));
			expect(scores[0]).toBeGreaterThan(0);
		}
		expect(d.verbatims.every((v) => v.text !== '')).toBe(true);
		expect(d.interactions.rows.length).toBe(10);
		// Who said it, for a link to their page (sign-in off here: every role may open customers).
		expect(d.interactions.rows.filter((r) => /^C\d+$/.test(r.customerId)).length).toBeGreaterThan(5);
		expect(d.verbatims.some((v) => /^C\d+$/.test(v.customerId))).toBe(true);
		expect(d.interactions.total).toBe(delivery.interactions);
		// The total is the assessed cell's count: the stored rows it pages through, every one.
		const [stored] = await rows<{ n: string }>(
			ctx.db,
			`SELECT count() AS n FROM interactions
			WHERE stage = 'delivery' AND touchpoint = 'delivery status' AND toDate(ts) BETWEEN {from:Date} AND {to:Date}`,
			FILTER
		);
		expect(d.interactions.total).toBe(Number(stored!.n));
		const terms = d.terms.map((t) => t.term).join(' | ');
		expect(terms).toMatch(/late|tracking|delivery|快递|物流|courier/);
		const page2 = await caller.painPoints.get({ id: delivery.id, filter: FILTER, pageSize: 10, page: 2 });
		expect(page2.interactions.rows[0]!.interactionId).not.toBe(d.interactions.rows[0]!.interactionId);
		await expect(caller.painPoints.get({ id: 'not/valid', filter: FILTER })).rejects.toThrow(/id/);
		const high = await caller.painPoints.get({ id: delivery.id, filter: { ...FILTER, segment: 'high' } });
		const other = await caller.painPoints.get({ id: delivery.id, filter: { ...FILTER, segment: 'other' } });
		expect(high.interactions.total + other.interactions.total).toBe(d.interactions.total);
	});
});

describe('paths', () => {
	it('builds per-step nodes and links, top paths and channel switching', async () => {
		const p = await caller.journey.paths({ ...FILTER, depth: 5 });
		expect(p.sampled).toBe(1);
		expect(p.customers).toBeGreaterThan(500);
		const step1 = p.nodes.filter((n) => n.step === 1).reduce((a, n) => a + n.customers, 0);
		expect(step1).toBe(p.customers);
		expect(Math.max(...p.nodes.map((n) => n.step))).toBe(5);
		expect(p.topPaths.length).toBe(10);
		const shares = p.channelSwitching.reduce((a, c) => a + c.share, 0);
		expect(shares).toBeCloseTo(1, 5);
		expect(p.channelSwitching.find((c) => c.channels === '3+')!.share).toBeGreaterThan(0.3);
		const [raw] = await rows<{ n: string }>(
			ctx.db,
			`SELECT uniqExact(customer_id) AS n FROM interactions WHERE customer_id != '' AND stage != ''
			 AND toDate(ts) BETWEEN {from:Date} AND {to:Date}`,
			FILTER
		);
		expect(p.customers).toBe(Number(raw!.n));
		const high = await caller.journey.paths({ ...FILTER, segment: 'high' });
		const other = await caller.journey.paths({ ...FILTER, segment: 'other' });
		expect(high.customers + other.customers).toBe(p.customers);
		const tp = await caller.journey.paths({ ...FILTER, depth: 3, level: 'touchpoint' });
		expect(tp.nodes.some((n) => n.label === 'delivery / delivery status')).toBe(true);
	});

	it('collapses consecutive repeats exactly as a plain reading of the steps does', async () => {
		const p = await caller.journey.paths({ ...FILTER, depth: 5 });
		const steps = await rows<{ customer_id: string; stage: string }>(
			ctx.db,
			`SELECT customer_id, stage FROM journey_steps
			 WHERE ts >= toDateTime({from:Date}, 'UTC') AND ts < toDateTime({to:Date} + 1, 'UTC') AND stage != ''
			 ORDER BY customer_id, ts, stage`,
			FILTER
		);
		const seqs = new Map<string, string[]>();
		for (const s of steps) {
			const seq = seqs.get(s.customer_id) ?? [];
			if (seq.at(-1) !== s.stage) seq.push(s.stage);
			seqs.set(s.customer_id, seq);
		}
		const counts = new Map<string, number>();
		for (const seq of seqs.values()) {
			const key = seq.slice(0, 5).join(' > ');
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		for (const top of p.topPaths) {
			expect(top.path.every((s, i) => i === 0 || s !== top.path[i - 1])).toBe(true);
			// Contacts at the same second may sort either way: allow a customer or two per path.
			expect(Math.abs(top.customers - (counts.get(top.path.join(' > ')) ?? 0))).toBeLessThanOrEqual(2);
		}
	});
});

describe('rules, SQL and roll-up upkeep', () => {
	it('assigns social posts without a hashtag by keyword rules; none is dropped', async () => {
		const [r] = await rows<{ posts: string; unassigned: string }>(
			ctx.db,
			`SELECT count() AS posts, countIf(stage = '') AS unassigned FROM interactions WHERE source = 'demo-social-posts'`
		);
		expect(Number(r!.posts)).toBeGreaterThan(1000);
		expect(Number(r!.unassigned) / Number(r!.posts)).toBeLessThan(0.01);
	});

	it('every journey SQL parses in ClickHouse', async () => {
		const { COARSE_MAP_SQL, MAP_SQL } = await import('../../src/lib/server/queries/journey/map');
		const { pathsSql } = await import('../../src/lib/server/queries/journey/paths');
		const pp = await import('../../src/lib/server/queries/pain-points/pain-points');
		const params = {
			...FILTER,
			full_from: '2026-09-01',
			full_to: '2026-10-01',
			bucket_from: FILTER.from,
			channels: ['phone'],
			regions: ['Europe'],
			scenarios: ['complaint'],
			intents: ['billing'],
			segment: 'high',
			hv_tiers: ['gold'],
			reasons: ['r1'],
			r_ids: ['r1', 'r2'],
			r_stages: ['loyalty', ''],
			r_names: ['renewal questions', ''],
			tp_reasons: ['r1'],
			complaint_sources: ['crm'],
			stage: 'delivery',
			touchpoint: 'delivery status',
			one: 1,
			depth: 4,
			limit: 10,
			offset: 0
		};
		for (const sql of [
			MAP_SQL,
			COARSE_MAP_SQL,
			pathsSql('stage', 1),
			pathsSql('touchpoint', 0.25),
			pp.TREND_SQL.week,
			pp.TREND_SQL.month,
			pp.COARSE_TREND_SQL.week,
			pp.COARSE_TREND_SQL.month,
			pp.SEGMENTS_SQL,
			pp.COUNT_SQL,
			...Object.values(pp.ROWS_SQL)
		]) {
			await expectParses(ctx.db, sql, params);
		}
	});

	it('sums the same cells from the coarse and the fine reason roll-up', async () => {
		const map = await import('../../src/lib/server/queries/journey/map');
		const { journeyParams } = await import('../../src/lib/server/queries/journey/filter');
		const { reasonParams } = await import('../../src/lib/server/queries/reasons/dictionary');
		const { complaintSources } = map;
		// A range that is not whole months, so both the monthly and the daily tables are read.
		const params = {
			...journeyParams(
				{ ...FILTER, from: '2026-07-09', segment: 'high', channels: ['phone', 'email', 'chat'] },
				{ highValueTiers: ['gold', 'platinum'] },
				await reasonParams(ctx.db.client)
			),
			complaint_sources: await complaintSources(ctx.db.client)
		};
		const run = async (sql: string) =>
			(await rows<Record<string, string>>(ctx.db, `${sql} ORDER BY level, stage, touchpoint, channel`, params)).map(
				(r) =>
					`${r.level}/${r.stage}/${r.touchpoint}/${r.channel}: ${r.interactions} ${r.complaints} ${r.csat_sum} ` +
					`${r.sentiment_neg} ${r.handle_n} ${r.hv_interactions} ${r.authors} ${r.complaint_like}`
			);
		const coarse = await run(map.COARSE_MAP_SQL);
		expect(coarse.length).toBeGreaterThan(20);
		expect(coarse).toEqual(await run(map.MAP_SQL));
		const byReason = await run(map.COARSE_REASON_MAP_SQL);
		expect(byReason.length).toBeGreaterThan(2);
		expect(byReason).toEqual(await run(map.REASON_MAP_SQL));
		// The pain-point trend too, weekly and monthly, for one touchpoint and for all.
		const pp = await import('../../src/lib/server/queries/pain-points/pain-points');
		for (const one of [0, 1]) {
			const trendParams = {
				...params,
				bucket_from: params.from,
				one,
				stage: 'delivery',
				touchpoint: 'delivery status'
			};
			for (const interval of ['week', 'month'] as const) {
				const trend = async (sql: string) =>
					(await rows<Record<string, string>>(ctx.db, `${sql}, stage, touchpoint`, trendParams)).map((r) =>
						// Float sums may differ in the last bits with the order they were added in.
						JSON.stringify(r, (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v))
					);
				const coarseTrend = await trend(pp.COARSE_TREND_SQL[interval]);
				expect(coarseTrend.length).toBeGreaterThan(one ? 2 : 20);
				expect(coarseTrend).toEqual(await trend(pp.TREND_SQL[interval]));
			}
		}
	});

	it('counts the same distinct customers from the coarse, the every-tier and the fine roll-up', async () => {
		const { CUSTOMERS_SQL } = await import('../../src/lib/server/queries/journey/map');
		const { journeyParams } = await import('../../src/lib/server/queries/journey/filter');
		const run = async (sql: string, segment: 'all' | 'high') =>
			(
				await rows<Record<string, string>>(
					ctx.db,
					`${sql} ORDER BY level, stage, touchpoint, channel`,
					journeyParams(
						{ ...FILTER, segment, channels: ['phone', 'email'] },
						{ highValueTiers: ['gold', 'platinum'] },
						{ r_ids: [], r_stages: [], r_names: [], reasons: [] }
					)
				)
			).map((r) => `${r.level}/${r.stage}/${r.touchpoint}/${r.channel}=${r.customers}`);
		const coarse = await run(CUSTOMERS_SQL.coarse, 'high');
		expect(coarse.length).toBeGreaterThan(20);
		expect(coarse).toEqual(await run(CUSTOMERS_SQL.fine, 'high'));
		const reach = await run(CUSTOMERS_SQL.reach, 'all');
		expect(reach.length).toBeGreaterThan(20);
		expect(reach).toEqual(await run(CUSTOMERS_SQL.fine, 'all'));
		expect(reach).not.toEqual(coarse);
	});
});
