/**
 * The difference-in-differences estimator on planted weekly series: a known drop on the touched
 * unit is recovered within its interval while a shared drift is taken out; the not-enough-data
 * states say why; status transitions and action inputs are checked.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { ActionCreateSchema, canMoveTo } from '../../schemas/actions';
import { kpiChangeValue, paybackMonths } from '../../src/lib/roi/model';
import {
	differenceInDifferences,
	didWeeks,
	INTERVAL_METHODS,
	mondayOf,
	t975,
	type UnitWeek
} from '../../src/lib/server/queries/actions/did';

const OPTS = { window: 12, minWeeks: 4, minSample: 30, minPlacebos: 5, dataEnd: '2026-06-30' };
const DONE = '2026-04-01';

function weeks(from: string, n: number): string[] {
	const start = Date.parse(`${mondayOf(from)}T00:00:00Z`);
	return Array.from({ length: n }, (_, k) => new Date(start + k * 7 * 86_400_000).toISOString().slice(0, 10));
}

/** Binomial weekly counts: unit i's rate is 0.2 + 0.02 i + a shared drift (+ `drop` after DONE on unit 0). */
function plant(units: number, drop: number, perWeek = 200, seed = 'did'): UnitWeek[] {
	const rnd = seedrandom(seed);
	const out: UnitWeek[] = [];
	const ws = weeks('2026-01-01', 26);
	ws.forEach((week, k) => {
		for (let i = 0; i < units; i++) {
			const p = 0.2 + 0.02 * i + 0.003 * k + (i === 0 && week > DONE ? drop : 0);
			let num = 0;
			for (let j = 0; j < perWeek; j++) if (rnd() < p) num++;
			out.push({ unit: `u${i}`, week, num, den: perWeek });
		}
	});
	return out;
}

describe('difference in differences', () => {
	it('recovers a planted drop within its interval and removes a shared drift', () => {
		for (const seed of ['a', 'b', 'c']) {
			const r = differenceInDifferences(plant(8, -0.1, 200, seed), 'u0', DONE, new Set(), OPTS);
			expect(r.reasons).toEqual([]);
			expect(r.comparableUnits).toBe(7);
			expect(r.low!).toBeLessThan(-0.1);
			expect(r.high!).toBeGreaterThan(-0.1);
			expect(r.high!).toBeLessThan(0);
		}
	});

	it('finds the planted drop with every interval, the placebo one never narrower than t', () => {
		const rows = plant(8, -0.1, 200, 'methods');
		const by = Object.fromEntries(
			INTERVAL_METHODS.map((m) => [m, differenceInDifferences(rows, 'u0', DONE, new Set(), OPTS, m)])
		);
		for (const m of INTERVAL_METHODS) {
			expect(by[m]!.low!).toBeLessThan(-0.1);
			expect(by[m]!.high!).toBeLessThan(0);
		}
		expect(by.placebo!.placeboUnits).toBe(7);
		expect(by.placebo!.high! - by.placebo!.low!).toBeGreaterThanOrEqual(by.welch!.high! - by.welch!.low!);
	});

	it('holds 0 at the nominal rate when units drift on their own; the weekly t interval does not', () => {
		// Null data: no action, but each of 30 units has its own straight-line drift and its own AR(1)
		// weekly shocks, as reasons do. Weekly t intervals read those as effects too often.
		const rnd = seedrandom('null-drift');
		const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
		const ws = weeks('2026-01-01', 26);
		const covered: Record<string, number> = { placebo: 0, welch: 0 };
		const trials = 60;
		for (let trial = 0; trial < trials; trial++) {
			const rows: UnitWeek[] = [];
			for (let i = 0; i < 30; i++) {
				const slope = 0.0015 * normal();
				let shock = 0;
				ws.forEach((week, k) => {
					shock = 0.6 * shock + 0.02 * normal();
					const p = Math.min(0.95, Math.max(0.05, 0.3 + slope * (k - 13) + shock));
					rows.push({ unit: `u${i}`, week, num: Math.round(p * 100), den: 100 });
				});
			}
			for (const m of ['placebo', 'welch'] as const) {
				const r = differenceInDifferences(rows, 'u0', DONE, new Set(), OPTS, m);
				if (r.low! <= 0 && r.high! >= 0) covered[m]!++;
			}
		}
		console.log(`null coverage over ${trials} data sets: placebo ${covered.placebo}, welch ${covered.welch}`);
		expect(covered.placebo! / trials).toBeGreaterThanOrEqual(0.88);
		expect(covered.welch! / trials).toBeLessThan(0.8);
	});

	it('holds 0 on a unit nothing happened to', () => {
		const r = differenceInDifferences(plant(8, 0), 'u3', DONE, new Set(), OPTS);
		expect(r.low!).toBeLessThan(0);
		expect(r.high!).toBeGreaterThan(0);
	});

	it('leaves touched units out of the comparison', () => {
		const r = differenceInDifferences(plant(8, -0.1), 'u3', DONE, new Set(['u0']), OPTS);
		expect(r.comparableUnits).toBe(6);
	});

	it('leaves out the done week and counts only whole weeks after it', () => {
		const w = didWeeks('2026-04-01', { window: 12, dataEnd: '2026-04-26' });
		expect(w.before.at(-1)).toBe('2026-03-23');
		expect(w.after).toEqual(['2026-04-06', '2026-04-13', '2026-04-20']);
	});

	it('says why there is not enough data yet', () => {
		const rows = plant(8, -0.1);
		const recent = differenceInDifferences(rows, 'u0', '2026-06-10', new Set(), OPTS);
		expect(recent.reasons).toContain('tooFewDaysAfter');
		expect(recent.effect).toBeNull();
		const alone = differenceInDifferences(
			rows.filter((r) => r.unit === 'u0'),
			'u0',
			DONE,
			new Set(),
			OPTS
		);
		expect(alone.reasons).toEqual(['noComparableUnits']);
		const thin = differenceInDifferences(plant(8, -0.1, 2), 'u0', DONE, new Set(), OPTS);
		expect(thin.reasons).toEqual(['tooFewContacts']);
		const early = differenceInDifferences(rows, 'u0', '2026-01-20', new Set(), OPTS);
		expect(early.reasons).toContain('tooFewDaysBefore');
		// Four units: three comparable, too few placebos to size the interval on; t alone would answer.
		const few = plant(4, -0.1);
		const sized = differenceInDifferences(few, 'u0', DONE, new Set(), OPTS);
		expect(sized.reasons).toEqual(['tooFewComparableUnits']);
		expect(sized.placeboUnits).toBe(3);
		expect(sized.effect).toBeNull();
		expect(differenceInDifferences(few, 'u0', DONE, new Set(), OPTS, 'welch').effect).not.toBeNull();
	});

	it('uses Student t quantiles', () => {
		expect(t975(1)).toBeCloseTo(12.706, 3);
		expect(t975(10)).toBeCloseTo(2.228, 3);
		expect(Math.abs(t975(60) - 2.0003)).toBeLessThan(0.003);
	});
});

describe('pricing an effect', () => {
	it('prices complaint-rate and handle-time changes with the ROI formulas', () => {
		const a = { costPerComplaint: 850, costPerMinute: 12 };
		const vol = { annualContacts: 10_000, annualHandledContacts: 8_000 };
		expect(kpiChangeValue('complaintRate', -0.05, vol, a)).toBeCloseTo(0.05 * 10_000 * 850, 6);
		expect(kpiChangeValue('aht', -60, vol, a)).toBeCloseTo(1 * 8_000 * 12, 6);
		expect(kpiChangeValue('csat', 0.5, vol, a)).toBeNull();
		expect(paybackMonths(1200, 2400)).toBe(6);
		expect(paybackMonths(1200, -5)).toBeNull();
	});
});

describe('action inputs', () => {
	it('allows only the listed status changes', () => {
		expect(canMoveTo('planned', 'done')).toBe(true);
		expect(canMoveTo('cancelled', 'done')).toBe(false);
		expect(canMoveTo('done', 'planned')).toBe(false);
		expect(canMoveTo('done', 'in_progress')).toBe(true);
	});

	it('refuses a negative cost and a date that is not a date', () => {
		const ok = { target: 'YWJj', title: 't', kpi: 'csat', due: '2026-05-01' };
		expect(ActionCreateSchema.safeParse(ok).success).toBe(true);
		expect(ActionCreateSchema.safeParse({ ...ok, cost: -1 }).error?.issues[0]?.message).toMatch(/negative/);
		expect(ActionCreateSchema.safeParse({ ...ok, due: '2026-13-01' }).success).toBe(false);
	});
});
