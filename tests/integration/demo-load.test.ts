import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionCount, loadDemoIfEmpty } from '../../ingest/demo/load';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let first: Awaited<ReturnType<typeof loadDemoIfEmpty>>;
beforeAll(async () => {
	ctx = await freshDb();
	first = await loadDemoIfEmpty(ctx.db, { customers: 400, seed: 3, sourceDir: join(ctx.dir, 'demo-source') });
});
afterAll(() => ctx.close());

describe('demo data at start-up', () => {
	it('loads through the ingest path with nothing rejected', async () => {
		expect(first?.map((s) => s.source)).toEqual([
			'demo-crm-customers',
			'demo-crm-orders',
			'demo-crm-tickets',
			'demo-callcenter-calls',
			'demo-social-posts'
		]);
		expect(first?.every((s) => s.rejected === 0 && s.accepted > 0)).toBe(true);
		const runs = await rows<{ n: number }>(ctx.db, "SELECT count() AS n FROM ingest_runs FINAL WHERE status = 'ok'");
		expect(Number(runs[0]?.n)).toBe(5);
	});

	it('does not load again into a database that has data', async () => {
		const before = await interactionCount(ctx.db);
		expect(
			await loadDemoIfEmpty(ctx.db, { customers: 400, seed: 3, sourceDir: join(ctx.dir, 'demo-source') })
		).toBeUndefined();
		expect(await interactionCount(ctx.db)).toBe(before);
	});

	it('gives interactions the segment and region of their customer', async () => {
		const [r] = await rows<{ missing: number }>(
			ctx.db,
			"SELECT countIf(segment = '') AS missing FROM interactions WHERE customer_id != ''"
		);
		expect(Number(r?.missing)).toBe(0);
	});

	it('makes the planted pain points stand out from the baseline', async () => {
		const tps = await rows<{ touchpoint: string; complaint_rate: number; csat: number }>(
			ctx.db,
			`SELECT touchpoint, avg(is_complaint) AS complaint_rate, avg(csat_10) AS csat
			 FROM interactions WHERE touchpoint != '' GROUP BY touchpoint`
		);
		const by = Object.fromEntries(tps.map((t) => [t.touchpoint, t]));
		const baseline = by['checkout']!;
		for (const tp of ['delivery status', 'refund request']) {
			expect(by[tp]!.complaint_rate).toBeGreaterThan(baseline.complaint_rate * 4);
			expect(by[tp]!.csat).toBeLessThan(baseline.csat - 2);
		}
		expect(by['app login']!.complaint_rate).toBeGreaterThan(baseline.complaint_rate * 2);
	});
});
