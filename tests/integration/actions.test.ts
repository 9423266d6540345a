/**
 * Actions with measured impact, on planted truth: eight touchpoints whose complaint rates share a
 * drift over half a year; after 2026-04-01 one of them ("checkout") complains 10 points less and
 * the others do not. An action on it marked done that day must measure about −0.10 with an
 * interval that holds it; an action on an untouched touchpoint must hold 0; one done ten days
 * before the data ends has not enough data yet. Bad input is a 400 with a message.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionEffect } from '../../schemas/actions';
import { painPointId } from '../../schemas/journey';
import { expectParses, freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof import('../../src/lib/server/trpc/router').createCaller>;

const TOUCHPOINTS = [
	'checkout',
	'delivery status',
	'refund request',
	'billing inquiry',
	'app login',
	'returns',
	'warranty',
	'order change'
];
const STAGE = 'after_sales';
const DONE = '2026-04-01';
const PLANTED = -0.1;
const START = Date.UTC(2026, 0, 1);
const DAYS = 181; // to 2026-06-30
const PER_DAY = 30;

beforeAll(async () => {
	ctx = await freshDb();
	const { ingestFile } = await import('../../ingest/loading/ingest-file');
	const { MappingSchema } = await import('../../schemas/mapping');
	const rnd = seedrandom('actions');
	const lines: string[] = [];
	let n = 0;
	for (let d = 0; d < DAYS; d++) {
		const at = new Date(START + d * 86_400_000).toISOString().slice(0, 10);
		// A drift every touchpoint shares: difference in differences must take it out.
		const drift = 0.06 * (d / DAYS);
		TOUCHPOINTS.forEach((tp, i) => {
			const p = 0.2 + 0.02 * i + drift + (tp === 'checkout' && at >= DONE ? PLANTED : 0);
			for (let k = 0; k < PER_DAY; k++) {
				lines.push(
					JSON.stringify({
						id: `c${n++}`,
						at: `${at}T${String(8 + (k % 10)).padStart(2, '0')}:00:00Z`,
						stage: STAGE,
						touchpoint: tp,
						complaint: rnd() < p,
						csat: 1 + Math.floor(rnd() * 5),
						handle: 300
					})
				);
			}
		});
	}
	const file = join(ctx.dir, 'calls.ndjson');
	writeFileSync(file, lines.join('\n') + '\n');
	const mapping = MappingSchema.parse({
		name: 'calls',
		entity: 'interaction',
		format: 'ndjson',
		constants: { channel: 'phone', csat_scale_min: 1, csat_scale_max: 5 },
		fields: {
			source_id: 'id',
			ts: 'at',
			stage: 'stage',
			touchpoint: 'touchpoint',
			is_complaint: 'complaint',
			csat: 'csat',
			handle_s: 'handle'
		}
	});
	await ingestFile({ db: ctx.db, file, mapping });
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	caller = createCaller({ db: ctx.db });
	const { writeSetting } = await import('../../src/lib/server/queries/settings/settings');
	await writeSetting(ctx.db.client, 'roi', { currency: 'EUR', costPerComplaint: 100 });
}, 300_000);
afterAll(() => ctx?.close());

const base = { kpi: 'complaintRate', owner: 'Li Wei', due: '2026-03-31', cost: 20_000 } as const;

describe('actions', () => {
	it('measures a planted drop within its interval, and prices it with the ROI assumptions', async () => {
		const a = await caller.actions.create({
			...base,
			title: 'Fix the checkout flow',
			target: painPointId(STAGE, 'checkout'),
			expectedEffect: -0.05
		});
		expect(a.status).toBe('planned');
		await caller.actions.update({ id: a.id, status: 'in_progress' });
		await caller.actions.update({ id: a.id, status: 'done', doneAt: DONE });
		const got = await caller.actions.get({ id: a.id });
		expect(got.doneAt).toBe(DONE);
		const e = got.effect!;
		console.log(
			`planted ${PLANTED}: measured ${e.effect?.toFixed(4)}, 95% [${e.low?.toFixed(4)}, ${e.high?.toFixed(4)}]`
		);
		expect(e.status).toBe('measured');
		expect(e.comparableUnits).toBe(TOUCHPOINTS.length - 1);
		expect(e.low!).toBeLessThan(PLANTED);
		expect(e.high!).toBeGreaterThan(PLANTED);
		expect(e.high!).toBeLessThan(0);
		expect(Math.abs(e.effect! - PLANTED)).toBeLessThan(0.03);
		// Benefit = −effect × the touchpoint's contacts a year × cost per complaint (ROI model).
		const perYear = PER_DAY * 365;
		expect(e.annualBenefit!).toBeCloseTo(-e.effect! * perYear * 100, -1);
		expect(e.currency).toBe('EUR');
		expect(e.paybackMonths!).toBeCloseTo(20_000 / (e.annualBenefit! / 12), 6);

		const roi = await caller.actions.roi();
		expect(roi.measured).toBe(1);
		expect(roi.totalCost).toBe(20_000);
		expect(roi.totalBenefit).toBeCloseTo(e.annualBenefit!, 6);
	});

	it('holds 0 for an untouched touchpoint, and leaves the touched one out of its comparison', async () => {
		const a = await caller.actions.create({
			...base,
			title: 'Placebo',
			target: painPointId(STAGE, 'warranty'),
			status: 'done',
			doneAt: DONE
		});
		const e = (await caller.actions.get({ id: a.id })).effect!;
		expect(e.status).toBe('measured');
		expect(e.comparableUnits).toBe(TOUCHPOINTS.length - 2);
		expect(e.low!).toBeLessThan(0);
		expect(e.high!).toBeGreaterThan(0);
		await caller.actions.update({ id: a.id, status: 'in_progress' });
		expect((await caller.actions.get({ id: a.id })).effect).toBeNull();
	});

	it('says not enough data yet ten days after the done date', async () => {
		const a = await caller.actions.create({
			...base,
			title: 'Too recent',
			target: painPointId(STAGE, 'returns'),
			status: 'done',
			doneAt: '2026-06-20'
		});
		const e = (await caller.actions.get({ id: a.id })).effect!;
		expect(e.status).toBe('notEnoughData');
		expect(e.reasons).toContain('tooFewDaysAfter');
		expect(e.effect).toBeNull();
		expect(e.annualBenefit).toBeNull();
	});

	it('refuses bad input with a message', async () => {
		const target = painPointId(STAGE, 'checkout');
		await expect(caller.actions.create({ ...base, title: 'x', target: painPointId(STAGE, 'nowhere') })).rejects.toThrow(
			/no touchpoint "nowhere"/
		);
		await expect(caller.actions.create({ ...base, title: 'x', target: 'not!an id' })).rejects.toThrow(/pain-point id/);
		await expect(caller.actions.create({ ...base, title: 'x', target, due: '2026-02-30' })).rejects.toThrow(/due/);
		await expect(caller.actions.create({ ...base, title: 'x', target, cost: -1 })).rejects.toThrow(/negative/);
		const a = await caller.actions.create({ ...base, title: 'x', target, status: 'cancelled' });
		await expect(caller.actions.update({ id: a.id, status: 'done' })).rejects.toThrow(/cancelled cannot become done/);
		await expect(caller.actions.update({ id: a.id, status: 'planned', doneAt: DONE })).rejects.toThrow(
			/only for a done/
		);
		await expect(caller.actions.update({ id: 'a-000000000000', title: 'y' })).rejects.toThrow(/no action/);
		await expect(
			caller.actions.create({ ...base, title: 'x', target, status: 'done', doneAt: '2100-01-01' })
		).rejects.toThrow(/future/);
	});

	it('keeps every version and lists the newest', async () => {
		const a = await caller.actions.create({ ...base, title: 'Versioned', target: painPointId(STAGE, 'app login') });
		await caller.actions.update({ id: a.id, owner: 'Ana' });
		await caller.actions.update({ id: a.id, cost: 5 });
		const got = await caller.actions.get({ id: a.id });
		expect([got.owner, got.cost, got.title]).toEqual(['Ana', 5, 'Versioned']);
		const stored = await rows<{ n: string }>(ctx.db, 'SELECT count() AS n FROM actions WHERE id = {id:String}', {
			id: a.id
		});
		expect(Number(stored[0]!.n)).toBe(3);
		expect((await caller.actions.list({ target: a.target })).map((x) => x.id)).toContain(a.id);
	});

	it('writes SQL that ClickHouse parses', async () => {
		const { LIST_SQL, UNIT_SQL } = await import('../../src/lib/server/queries/actions/actions');
		const { WEEKS_SQL, DATA_END_SQL } = await import('../../src/lib/server/queries/actions/effect');
		for (const sql of [
			LIST_SQL,
			UNIT_SQL.touchpoint,
			UNIT_SQL.reason,
			WEEKS_SQL.touchpoint,
			WEEKS_SQL.reason,
			DATA_END_SQL
		])
			await expectParses(ctx.db, sql, {
				id: '',
				stage: '',
				touchpoint: '',
				from: '2026-01-01',
				to: '2026-01-31',
				complaint_sources: [],
				r_ids: [],
				r_stages: [],
				r_names: []
			});
	});
});

describe('actions.effect', () => {
	it('previews what an action done on a day would measure, without storing one', async () => {
		const e: ActionEffect = await caller.actions.effect({
			target: painPointId(STAGE, 'checkout'),
			kpi: 'complaintRate',
			doneAt: DONE
		});
		expect(e.status).toBe('measured');
		expect(e.low!).toBeLessThan(PLANTED);
		expect(e.high!).toBeGreaterThan(PLANTED);
		await expect(
			caller.actions.effect({ target: painPointId(STAGE, 'checkout'), kpi: 'csat', doneAt: '2026-02-30' })
		).rejects.toThrow(/doneAt/);
	});
});
