/**
 * Pain points by contact reason beside touchpoints: tickets whose source gives every touchpoint,
 * and a reason that cuts across them. One topic (a solar inverter error) is answered badly on both
 * touchpoints, so by touchpoint nothing stands out (a third of each touchpoint is bad), while by
 * reason that topic is red — and its drill-down reads that reason's rows only, whatever their
 * touchpoint. Affected segments are judged by the rate that drives the severity.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { painPointId } from '../../schemas/journey';
import { freshDb } from '../helpers/db';
import { TOPICS } from '../helpers/reason-topics';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof import('../../src/lib/server/trpc/router').createCaller>;

const BAD = 1;
const N = 600;
const FILTER = { from: '2026-01-01', to: '2026-03-31' } as const;
const TOUCHPOINTS = [
	{ stage: 'after_sales', touchpoint: 'billing inquiry' },
	{ stage: 'delivery', touchpoint: 'delivery status' }
] as const;

beforeAll(async () => {
	ctx = await freshDb();
	const { ingestFile } = await import('../../ingest/loading/ingest-file');
	const { MappingSchema } = await import('../../schemas/mapping');
	const lines: string[] = [];
	for (let i = 0; i < N; i++) {
		const topic = i % 3;
		const t = TOPICS[topic]![Math.floor(i / 3) % 3]!;
		const day = String(1 + (i % 28)).padStart(2, '0');
		const month = String(1 + (Math.floor(i / 6) % 3)).padStart(2, '0');
		lines.push(
			JSON.stringify({
				id: `t${i}`,
				at: `2026-${month}-${day}T10:00:00Z`,
				text: `${t} ref ${i % 7}`,
				...TOUCHPOINTS[Math.floor(i / 3) % 2],
				author: `a${i % 200}`,
				region: i % 4 === 0 ? 'North' : 'South',
				csat: topic === BAD ? 1 : 5,
				outcome: topic === BAD ? 'unresolved' : 'resolved'
			})
		);
	}
	const file = join(ctx.dir, 'tickets.ndjson');
	writeFileSync(file, lines.join('\n') + '\n');
	const mapping = MappingSchema.parse({
		name: 'tickets',
		entity: 'interaction',
		format: 'ndjson',
		constants: { channel: 'email' },
		fields: {
			source_id: 'id',
			ts: 'at',
			text: 'text',
			stage: 'stage',
			touchpoint: 'touchpoint',
			region: 'region',
			csat: 'csat',
			outcome: 'outcome',
			'attributes.author': 'author'
		}
	});
	await ingestFile({ db: ctx.db, file, mapping, path: 'js' });
	const { discoverStored } = await import('../../ingest/enrichment/reasons/discover-stored');
	await discoverStored(ctx.db);
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	caller = createCaller({ db: ctx.db });
}, 300_000);
afterAll(() => ctx?.close());

describe('pain points by contact reason', () => {
	it('flags the reason that cuts across touchpoints, where no touchpoint stands out', async () => {
		const byTouchpoint = await caller.painPoints.list(FILTER);
		expect(byTouchpoint.by).toBe('touchpoint');
		expect(byTouchpoint.items).toEqual([]);

		const list = await caller.painPoints.list({ ...FILTER, by: 'reason' });
		expect(list.by).toBe('reason');
		expect(list.items.length).toBeGreaterThan(0);
		let inverter = 0;
		for (const p of list.items) {
			expect(p.kind).toBe('reason');
			// Its rows, whatever their touchpoint, are of one topic.
			const d = await caller.painPoints.get({ id: p.id, filter: FILTER, pageSize: 200 });
			expect(d.interactions.total).toBe(p.interactions);
			expect(d.interactions.rows.length).toBe(p.interactions);
			const bad = d.interactions.rows.filter((r) => r.text.includes('inverter')).length;
			expect([0, p.interactions]).toContain(bad);
			const low = p.severity.floors.some((f) => f.measure === 'lowCsat');
			// The badly answered topic is red for its CSAT; any other reason is flagged on other
			// grounds (a text that reads negative), never for CSAT or outcome.
			expect(low).toBe(bad > 0);
			if (bad) {
				expect(p.severity.severity).toBe('red');
				inverter += p.interactions;
			} else {
				expect(p.severity.why.map((w) => w.factor)).not.toContain('unresolved');
			}
		}
		// Together the flagged reasons hold the whole badly answered topic.
		expect(inverter).toBe(N / 3);
		const reds = list.items.filter((p) => p.severity.severity === 'red').map((p) => p.severity.impact);
		expect(reds).toEqual([...reds].sort((a, b) => b - a));
	});

	it('drills into a reason: its rows whatever their touchpoint, segments by the driving rate', async () => {
		const p = (await caller.painPoints.list({ ...FILTER, by: 'reason' })).items.find((i) =>
			i.severity.floors.some((f) => f.measure === 'lowCsat')
		);
		const d = await caller.painPoints.get({ id: p!.id, filter: FILTER, pageSize: 200 });
		expect(d.by).toBe('reason');
		expect(d.touchpoint).toBe(p!.touchpoint);
		expect(d.cell?.severity.severity).toBe('red');
		expect(d.interactions.total).toBe(p!.interactions);
		expect(d.interactions.rows.every((r) => /inverter/.test(r.text))).toBe(true);
		expect(d.verbatims.length).toBeGreaterThan(0);
		expect(d.verbatims.every((v) => /inverter/.test(v.text))).toBe(true);
		expect(d.trend.reduce((a, b) => a + b.interactions, 0)).toBe(p!.interactions);
		// Low CSAT drives it: every segment of it is 100 % low CSAT, with its reach in authors.
		expect(d.segmentFactor).toBe('lowCsat');
		const regions = d.segments.filter((s) => s.dimension === 'region');
		expect(regions.map((s) => s.value).sort()).toEqual(['North', 'South']);
		for (const s of regions) {
			expect(s.reachUnit).toBe('authors');
			expect(s.reach).toBeGreaterThan(0);
			expect(s.rate === null || s.rate === 1).toBe(true);
		}
		expect(regions.some((s) => s.rate === 1)).toBe(true);
	});

	it('shows the words before the latest contact when the range ends after the data', async () => {
		const later = { ...FILTER, to: '2026-09-30' };
		const p = (await caller.painPoints.list({ ...later, by: 'reason' })).items.find((i) =>
			i.severity.floors.some((f) => f.measure === 'lowCsat')
		);
		const d = await caller.painPoints.get({ id: p!.id, filter: later, pageSize: 50 });
		// The last 30 days of the range hold no contact; the 30 before the latest one do.
		const latest = d.interactions.rows[0]!.ts.slice(0, 10);
		expect(latest >= '2026-03-01' && latest <= '2026-03-28', latest).toBe(true);
		const from = new Date(Date.parse(latest) - 29 * 86_400_000).toISOString().slice(0, 10);
		expect(d.verbatims.length).toBeGreaterThan(0);
		expect(d.verbatims.every((v) => v.ts >= from && /inverter/.test(v.text))).toBe(true);
		expect(d.terms.length).toBeGreaterThan(0);
	});

	it('answers a bad kind with a 400-style error', async () => {
		await expect(caller.painPoints.list({ ...FILTER, by: 'nope' } as never)).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		// A well-formed id of an unknown kind.
		const bogus = Buffer.from('delivery\u001fdelivery status\u001fnope').toString('base64url');
		expect(painPointId('delivery', 'delivery status', 'reason')).not.toBe(bogus);
		await expect(caller.painPoints.get({ id: bogus, filter: FILTER })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});
});
