/**
 * Customer profiles on a small demo loaded through the real ingest path: the planted high-value
 * group and the planted churners are found exactly as the ground truth states them, and changing
 * the rules changes the result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../ingest/demo/load';
import { freshDb, rows } from '../helpers/db';

interface Truth {
	highValue: { planted: number; count: number; ids: string[] };
	churners: {
		churnedInCrm: number;
		quiet: { count: number; ids: string[] };
		repeatedComplaints: { customers: { id: string }[]; measured: { ids: string[] } };
	};
}

let ctx: Awaited<ReturnType<typeof freshDb>>;
let truth: Truth;
let caller: Awaited<ReturnType<typeof makeCaller>>;
let status: Map<string, string>;

async function makeCaller() {
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	return createCaller({ db: ctx.db });
}

beforeAll(async () => {
	ctx = await freshDb();
	const dir = join(ctx.dir, 'demo-source');
	await loadDemo(ctx.db, { customers: 1500, seed: 11, sourceDir: dir });
	truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Truth;
	caller = await makeCaller();
	status = new Map(
		(
			await rows<{ customer_id: string; status: string }>(ctx.db, 'SELECT customer_id, status FROM customers FINAL')
		).map((r) => [r.customer_id, r.status])
	);
}, 180_000);
afterAll(() => ctx.close());

async function highValueIds(): Promise<string[]> {
	const { HIGH_VALUE_SQL, getAsOf, readRules, ruleParams } =
		await import('../../src/lib/server/queries/customers/rules');
	const asOf = (await getAsOf(ctx.db.client))!;
	const params = ruleParams(await readRules(ctx.db.client), asOf);
	return (await rows<{ customer_id: string }>(ctx.db, HIGH_VALUE_SQL, params)).map((r) => r.customer_id).sort();
}

describe('high-value segment', () => {
	it('finds exactly the ground truth under the default rule', async () => {
		expect(truth.highValue.count).toBeGreaterThan(30);
		expect(await highValueIds()).toEqual([...truth.highValue.ids].sort());
		const seg = await caller.customers.segments({ months: 12 });
		const hv = seg.groups.find((g) => g.group === 'high_value')!;
		const others = seg.groups.find((g) => g.group === 'others')!;
		expect(hv.customers).toBe(truth.highValue.count);
		expect(hv.customers + others.customers).toBe(1500);
		expect(hv.revenueShare + others.revenueShare).toBeCloseTo(1, 6);
		// The planted group is far more active and worth more than everyone else.
		expect(hv.interactionsPerCustomerMonth!).toBeGreaterThan(others.interactionsPerCustomerMonth! * 2.5);
		expect(hv.revenueShare).toBeGreaterThan(hv.customers / 1500);
		expect(hv.medianTenureYears!).toBeGreaterThanOrEqual(3);
	});

	it('changes when the rule changes, and says which rule is in force', async () => {
		const rules = await caller.customers.updateRules({ highValue: { minMonthlyInteractions: 2, minTenureYears: 1 } });
		expect(rules.highValue).toEqual({ minTenureYears: 1, minMonthlyInteractions: 2, months: 3 });
		expect((await caller.customers.rules()).highValue.minMonthlyInteractions).toBe(2);
		const looser = await highValueIds();
		expect(looser.length).toBeGreaterThan(truth.highValue.count);
		expect(looser).toEqual(expect.arrayContaining(truth.highValue.ids));
		const seg = await caller.customers.segments({ months: 12 });
		expect(seg.rules.highValue.minMonthlyInteractions).toBe(2);
		expect(seg.groups.find((g) => g.group === 'high_value')!.customers).toBe(looser.length);
		await caller.customers.updateRules({ highValue: { minMonthlyInteractions: 5, minTenureYears: 3 } });
		expect(await highValueIds()).toEqual([...truth.highValue.ids].sort());
	});

	it('rejects invalid rules with a readable message', async () => {
		await expect(caller.customers.updateRules({ highValue: { months: 0 } })).rejects.toThrow(/months/);
		await expect(caller.customers.updateRules({ tiers: { platinum: 10, gold: 100 } } as never)).rejects.toThrow(
			/platinum/
		);
	});
});

describe('needs by scenario', () => {
	it('lists the top needs per scenario for the segment and for every contact', async () => {
		const needs = await caller.customers.needs({ months: 12, top: 3 });
		expect(needs.months).toHaveLength(12);
		expect(needs.months.at(-1)).toBe('2026-10-01');
		const all = needs.rows.filter((r) => r.group === 'all');
		const hv = needs.rows.filter((r) => r.group === 'high_value');
		expect(new Set(all.map((r) => r.scenario)).size).toBeGreaterThanOrEqual(3);
		expect(hv.length).toBeGreaterThan(0);
		for (const r of needs.rows) expect(r.monthly.reduce((a, b) => a + b, 0)).toBe(r.interactions);
		const [n] = await rows<{ n: string }>(
			ctx.db,
			`SELECT count() AS n FROM interactions WHERE scenario = {s:String} AND intent = {i:String}
			 AND ts >= '2025-11-01' AND ts < '2026-11-01'`,
			{ s: all[0]!.scenario, i: all[0]!.intent }
		);
		expect(all[0]!.interactions).toBe(Number(n!.n));
	});
});

describe('churn early warning', () => {
	it('counts quiet customers exactly as the ground truth', async () => {
		const s = await caller.customers.signals({ months: 12 });
		const quiet = s.now.reduce((a, g) => a + g.quiet, 0);
		expect(quiet).toBe(truth.churners.quiet.count);
		expect(s.trend.length).toBe(24);
	});

	it('finds every planted repeat complainer', async () => {
		const { getRepeatComplainers } = await import('../../src/lib/server/queries/customers/signals');
		const rules = await caller.customers.rules();
		const ids = await getRepeatComplainers(ctx.db.client, 24, { ...rules, churn: { ...rules.churn, repeatMin: 3 } });
		// Ground truth counts by the generator's topic; ingest types a complaint by its touchpoint,
		// which social posts without a hashtag lack, so a few planted sequences are split.
		const planted = truth.churners.repeatedComplaints.customers.map((c) => c.id);
		const found = planted.filter((id) => ids.includes(id));
		expect(found.length / planted.length).toBeGreaterThanOrEqual(0.85);
		const measured = new Set(truth.churners.repeatedComplaints.measured.ids);
		expect(ids.filter((id) => measured.has(id)).length / measured.size).toBeGreaterThanOrEqual(0.85);
	});

	it('ranks the planted churners the CRM has not marked churned at the top of the at-risk list', async () => {
		const planted = new Set([
			...truth.churners.quiet.ids,
			...truth.churners.repeatedComplaints.customers.map((c) => c.id)
		]);
		const open = [...planted].filter((id) => status.get(id) === 'active');
		expect(open.length).toBeGreaterThan(20);
		const list = await caller.customers.atRisk({ minRisk: 0, limit: 10_000 });
		expect(list.rows.every((r) => status.get(r.customerId) === 'active')).toBe(true);
		const byRisk = [...list.rows].sort((a, b) => b.score - a.score);
		const k = open.length;
		const hits = (n: number) => byRisk.slice(0, n).filter((r) => planted.has(r.customerId)).length;
		// Thresholds below what the model reaches on this demo (seed 11), so a retrained model passes too.
		expect(hits(k) / k).toBeGreaterThanOrEqual(0.5);
		expect(hits(2 * k) / k).toBeGreaterThanOrEqual(0.7);
		const top = list.rows[0]!;
		expect(top.reasons.length).toBeGreaterThan(0);
		expect(top.reasons[0]!.text).toMatch(/\w/);
		for (let i = 1; i < list.rows.length; i++)
			expect(list.rows[i - 1]!.priority).toBeGreaterThanOrEqual(list.rows[i]!.priority);
	});

	it('filters by signal', async () => {
		const quiet = await caller.customers.atRisk({ signal: 'quiet', minRisk: 0, limit: 10_000 });
		expect(quiet.rows.every((r) => (r.daysSinceLast ?? Infinity) >= 90)).toBe(true);
		await expect(caller.customers.atRisk({ signal: 'nope' } as never)).rejects.toThrow(/signal/);
	});
});

describe('customer 360', () => {
	it('returns the journey, value, segment and risk of one customer', async () => {
		const { ensureChurnScores } = await import('../../src/lib/server/churn/refresh');
		await ensureChurnScores(ctx.db.client);
		const id = truth.highValue.ids[0]!;
		const c = await caller.customers.get({ id });
		expect(c.customerId).toBe(id);
		expect(c.highValue).toBe(true);
		// Money on customer pages is labelled with the ROI settings' currency.
		expect(c.currency).toBe((await caller.settings.get()).roi.currency);
		const other = await caller.customers.get({ id: [...status.keys()].find((x) => !truth.highValue.ids.includes(x))! });
		expect(other.highValue).toBe(false);
		const [n] = await rows<{ n: string }>(
			ctx.db,
			'SELECT count() AS n FROM interactions WHERE customer_id = {id:String}',
			{
				id
			}
		);
		expect(c.interactions).toBe(Number(n!.n));
		expect(c.timeline.length).toBe(Math.min(300, Number(n!.n)));
		expect(new Set(c.timeline.map((t) => t.channel)).size).toBeGreaterThan(1);
		expect(c.risk).not.toBeNull();
		await expect(caller.customers.get({ id: 'nobody' })).rejects.toThrow(/No customer/);
		await expect(caller.customers.get({ id: "x' OR 1=1" })).rejects.toThrow(/customer id/);
	});
});

describe('the timeline', () => {
	it('keeps the first 2,000 characters of a long text, whole (not 2,000 bytes, not a split character)', async () => {
		const { ingestFile } = await import('../../ingest/loading/ingest-file');
		const { parseMapping } = await import('../../ingest/mapping/mapping-file');
		const id = [...status.keys()][0]!;
		const long = '你'.repeat(2100);
		const file = join(ctx.dir, 'long.ndjson');
		writeFileSync(file, JSON.stringify({ id: 'long-1', who: id, at: '2025-06-01T10:00:00Z', note: long }) + '\n');
		const mapping = parseMapping({
			name: 'long-texts',
			entity: 'interaction',
			format: 'ndjson',
			constants: { channel: 'email', sentiment: 0, language: 'zh', intent: 'other', scenario: 'inquiry' },
			fields: { source_id: 'id', customer_id: 'who', ts: 'at', text: 'note' }
		});
		expect((await ingestFile({ db: ctx.db, file, mapping })).accepted).toBe(1);
		const c = await caller.customers.get({ id });
		expect(c.timeline.find((t) => t.interactionId === 'long-texts:long-1')?.text).toBe('你'.repeat(2000));
	});
});
