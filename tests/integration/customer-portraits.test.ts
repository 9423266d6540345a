/**
 * The kept customer portraits answer exactly as the portraits computed from the roll-ups: on the
 * demo, and on the demo beside the real bank CRM export (../shared/datasets; 10,000 customers with
 * their churn label and no contacts, which all count as quiet). A rule change or new data makes the
 * kept portrait stale until rebuilt, and the answers stay right meanwhile. The churn drivers' cells
 * and the customer value (ROI) are kept with the portrait too, and answer the same.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../ingest/demo/load';
import { freshDb, rows } from '../helpers/db';

// ../shared from the main checkout (/work/main), ../../shared from a worktree.
const datasets = ['../shared', '../../shared']
	.map((d) => join(process.cwd(), d, 'datasets'))
	.find((d) => existsSync(join(d, 'crm-bank/Churn_Modelling.csv')));

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
	ctx = await freshDb();
	await loadDemo(ctx.db, { customers: 600, seed: 5, sourceDir: join(ctx.dir, 'demo-source') });
}, 180_000);
afterAll(() => ctx.close());

const q = () => import('../../src/lib/server/queries/customers/portrait-store');
const kept = () => import('../../src/lib/server/kept');

/** Numbers to 9 significant digits: the kept path adds months in JavaScript, SQL adds them in C++. */
const round = (x: unknown): unknown =>
	typeof x === 'number'
		? Number(x.toPrecision(9))
		: Array.isArray(x)
			? x.map(round)
			: x && typeof x === 'object'
				? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)]))
				: x;

/** Every portrait answer the pages ask for, with nothing kept in memory between calls. */
async function answers() {
	const { getSegments } = await import('../../src/lib/server/queries/customers/segments');
	const { getNeeds } = await import('../../src/lib/server/queries/customers/needs');
	const { getSignals } = await import('../../src/lib/server/queries/customers/signals');
	const { getAtRisk } = await import('../../src/lib/server/queries/customers/at-risk');
	const { AtRiskInputSchema } = await import('../../schemas/customers');
	const { getChurnDrivers } = await import('../../src/lib/server/queries/drivers/drivers');
	const { getRoiSummary } = await import('../../src/lib/server/queries/roi/summary');
	const { RoiAssumptionsSchema } = await import('../../schemas/roi');
	const { TargetsSchema } = await import('../../schemas/kpi');
	const c = ctx.db.client;
	const out: unknown[] = [];
	const fresh = async <T>(f: () => Promise<T>) => {
		(await kept()).forgetKept(c);
		out.push(await f());
	};
	for (const months of [1, 3, 12, 24, 36]) await fresh(() => getSegments(c, { months }));
	for (const months of [2, 6, 12, 36]) await fresh(() => getNeeds(c, { months, top: 5 }));
	for (const months of [1, 6, 12, 24, 36]) await fresh(() => getSignals(c, { months }));
	for (const group of ['all', 'high_value', 'others'] as const)
		await fresh(() => getAtRisk(c, AtRiskInputSchema.parse({ group, limit: 200 })));
	await fresh(() => getChurnDrivers(c));
	// The customer value the ROI page weighs the assumed CLV against is kept with the portrait too.
	await fresh(
		async () =>
			(await getRoiSummary(c, RoiAssumptionsSchema.parse({}), TargetsSchema.parse({}), 'UTC', { forecasts: false }))
				.customerValue
	);
	return round(out);
}

async function isKept(): Promise<boolean> {
	const { readRules } = await import('../../src/lib/server/queries/customers/rules');
	return (await (await q()).currentPortrait(ctx.db.client, await readRules(ctx.db.client))) !== null;
}

describe('kept customer portraits', () => {
	it('answer the demo exactly as the roll-ups do, for every period and group', async () => {
		// Computed first (the builder is not loaded yet, so nothing builds in the background).
		expect(await isKept()).toBe(false);
		const computed = await answers();
		const { buildPortrait } = await import('../../src/lib/server/queries/customers/portrait');
		const state = await buildPortrait(ctx.db.client);
		expect(state?.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(await isKept()).toBe(true);
		const [hv] = await rows<{ n: string }>(ctx.db, 'SELECT count() AS n FROM customer_portrait_hv');
		expect(Number(hv?.n)).toBeGreaterThan(10);
		expect(await answers()).toEqual(computed);
	}, 180_000);

	it('are read from the kept rows while current', async () => {
		const { getSegments } = await import('../../src/lib/server/queries/customers/segments');
		(await kept()).forgetKept(ctx.db.client);
		const before = await getSegments(ctx.db.client, { months: 12 });
		// Doctor the kept CRM rows: the answer must follow them (and is rebuilt from the data below).
		await ctx.db.client.command({
			query: `ALTER TABLE customer_portrait_rows UPDATE row = replaceRegexpOne(row, '"customers":"?[0-9]+"?', '"customers":"7"') WHERE part = 'crm'`,
			clickhouse_settings: { mutations_sync: '2' }
		});
		(await kept()).forgetKept(ctx.db.client);
		const after = await getSegments(ctx.db.client, { months: 12 });
		expect(after.groups.map((g) => g.customers)).toEqual([7, 7]);
		expect(before.groups.map((g) => g.customers)).not.toEqual([7, 7]);
		// Without their kept cells the churn drivers have nothing to fit: they read the kept rows too.
		const { getChurnDrivers } = await import('../../src/lib/server/queries/drivers/drivers');
		expect((await getChurnDrivers(ctx.db.client)).status).toBe('ok');
		await ctx.db.client.command({
			query: `ALTER TABLE customer_portrait_rows DELETE WHERE part = 'churnCells'`,
			clickhouse_settings: { mutations_sync: '2' }
		});
		(await kept()).forgetKept(ctx.db.client);
		expect((await getChurnDrivers(ctx.db.client)).status).toBe('empty');
		const { buildPortrait } = await import('../../src/lib/server/queries/customers/portrait');
		await buildPortrait(ctx.db.client);
		(await kept()).forgetKept(ctx.db.client);
		expect(round(await getSegments(ctx.db.client, { months: 12 }))).toEqual(round(before));
		expect((await getChurnDrivers(ctx.db.client)).status).toBe('ok');
	}, 120_000);

	it('go stale with a rule change and come back right after the rebuild', async () => {
		const { updateRules } = await import('../../src/lib/server/queries/customers/rules');
		const { ensurePortrait } = await import('../../src/lib/server/queries/customers/portrait');
		const { getSegments } = await import('../../src/lib/server/queries/customers/segments');
		const hvBefore = (await getSegments(ctx.db.client, { months: 12 })).groups[0]!.customers;
		await updateRules(ctx.db.client, { highValue: { minTenureYears: 1, minMonthlyInteractions: 2, months: 3 } });
		expect(await isKept()).toBe(false);
		const computed = await answers();
		await ensurePortrait(ctx.db.client);
		expect(await isKept()).toBe(true);
		expect(await answers()).toEqual(computed);
		(await kept()).forgetKept(ctx.db.client);
		expect((await getSegments(ctx.db.client, { months: 12 })).groups[0]!.customers).not.toBe(hvBefore);
	}, 240_000);

	it('answer the real bank CRM (10,000 customers, no contacts) beside the demo as the roll-ups do', async (t) => {
		if (!datasets) {
			console.warn('skipped: ../shared/datasets is absent');
			return t.skip();
		}
		const { ingestFile } = await import('../../ingest/loading/ingest-file');
		const { loadMapping } = await import('../../ingest/mapping/mapping-file');
		const s = await ingestFile({
			db: ctx.db,
			file: join(datasets, 'crm-bank/Churn_Modelling.csv'),
			mapping: loadMapping('ingest/mappings/examples/bank-churn.yaml')
		});
		expect(s.accepted).toBe(10_000);
		// New customers: the kept portrait is for other data now.
		expect(await isKept()).toBe(false);
		const computed = await answers();
		const { ensurePortrait } = await import('../../src/lib/server/queries/customers/portrait');
		await ensurePortrait(ctx.db.client);
		expect(await isKept()).toBe(true);
		expect(await answers()).toEqual(computed);
		// What the portrait says is true of the export: every bank customer is outside the
		// high-value set (no contacts) and quiet (opened years ago, no contact since).
		const { getSignals } = await import('../../src/lib/server/queries/customers/signals');
		const sig = await getSignals(ctx.db.client, { months: 12 });
		const [crm] = await rows<{ demo: string }>(
			ctx.db,
			"SELECT count() AS demo FROM customers FINAL WHERE source != 'bank-churn'"
		);
		const others = sig.now.find((g) => g.group === 'others')!;
		const hv = sig.now.find((g) => g.group === 'high_value')!;
		expect(others.customers + hv.customers).toBe(Number(crm?.demo) + 10_000);
		expect(others.quiet).toBeGreaterThanOrEqual(10_000);
	}, 600_000);
});
