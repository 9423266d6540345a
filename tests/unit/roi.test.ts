import { describe, expect, it } from 'vitest';
import { applyWhatIf, computeRoi, totalInvestment, whatIfOf } from '../../src/lib/roi/model';
import { REFERENCE_ROI, RoiAssumptionsSchema, RoiAssumptionsUpdateSchema } from '../../schemas/roi';
import { periodsFromRange } from '../../src/lib/server/queries/roi/summary';
import { missingBenefits } from '../../src/routes/roi/roi-format';
import { moneyFormat } from '../../src/lib/format';
import { REFERENCE_INPUTS, REFERENCE_RESULT } from '../fixtures/roi-reference';

describe('computeRoi', () => {
	it('reproduces the hand-worked reference case (41M in, 165M a year, CLTV +18%)', () => {
		const r = computeRoi(REFERENCE_INPUTS);
		for (const [k, v] of Object.entries(REFERENCE_RESULT.benefits))
			expect(r.benefits[k as keyof typeof r.benefits], k).toBeCloseTo(v, 2);
		expect(r.annualBenefit).toBeCloseTo(165_000_000, 2);
		expect(r.roiPct).toBeCloseTo(REFERENCE_RESULT.roiPct, 9);
		expect(r.paybackMonths).toBeCloseTo(2.981818, 5);
		expect(r.npv).toBeCloseTo(REFERENCE_RESULT.npv, 0);
		expect(r.clvChangePct).toBeCloseTo(0.18, 9);
		expect(r.clvVsIndustry).toBeCloseTo(0.12, 9);
	});

	it('shows a worse KPI as a negative benefit and no payback', () => {
		const r = computeRoi({
			...REFERENCE_INPUTS,
			after: { ...REFERENCE_INPUTS.before, ahtSeconds: 20 * 60 }
		});
		expect(r.benefits.handleTime).toBeCloseTo(-24_000_000, 2);
		expect(r.benefits.retention).toBe(0);
		expect(r.paybackMonths).toBeNull();
		expect(r.roiPct).toBeCloseTo((-24 - 41) / 41, 9);
	});

	it('treats unknown levels as no change, and a zero churn as no CLV change', () => {
		const r = computeRoi({
			...REFERENCE_INPUTS,
			before: { churnRate: 0, ahtSeconds: null, complaintRate: null, contactsPerCustomer: null }
		});
		expect(r.benefits).toEqual({ retention: -360_000_000, handleTime: 0, complaints: 0, deflection: 0 });
		expect(r.clvChangePct).toBeNull();
	});

	it('what-if moves the baseline by relative amounts and round-trips the measured case', () => {
		const w = whatIfOf(REFERENCE_INPUTS.before, REFERENCE_INPUTS.after);
		expect(w.aht).toBeCloseTo(-1 / 3, 9);
		const back = applyWhatIf(REFERENCE_INPUTS.before, w);
		expect(back.ahtSeconds).toBeCloseTo(720, 9);
		expect(back.churnRate).toBeCloseTo(0.1, 9);
		expect(computeRoi({ ...REFERENCE_INPUTS, after: back }).annualBenefit).toBeCloseTo(165_000_000, 0);
	});

	it('what-if keeps the measured value of a level without a baseline', () => {
		const before = { ...REFERENCE_INPUTS.before, churnRate: 0 };
		const w = whatIfOf(before, REFERENCE_INPUTS.after);
		expect(applyWhatIf(before, w, REFERENCE_INPUTS.after)).toEqual(REFERENCE_INPUTS.after);
		expect(applyWhatIf(before, w).churnRate).toBe(0);
	});

	it('sums investments, optionally up to a date', () => {
		const items = RoiAssumptionsSchema.parse(REFERENCE_ROI).investments;
		expect(totalInvestment(items)).toBe(41_000_000);
		expect(totalInvestment(items, '2025-03-31')).toBe(9_000_000);
	});
});

describe('ROI assumption schemas', () => {
	it('an update carries only the given fields (no defaults filled in)', () => {
		expect(RoiAssumptionsUpdateSchema.parse({ clv: 5 })).toEqual({ clv: 5 });
	});

	it('rejects unknown fields, negative money and reversed periods', () => {
		expect(RoiAssumptionsUpdateSchema.safeParse({ bogus: 1 }).success).toBe(false);
		expect(RoiAssumptionsUpdateSchema.safeParse({ costPerMinute: -1 }).success).toBe(false);
		expect(RoiAssumptionsUpdateSchema.safeParse({ comparison: { from: '2026-02-01', to: '2026-01-01' } }).success).toBe(
			false
		);
	});
});

describe('ROI on any data', () => {
	it('defaults to no currency, no investment and periods from the data', () => {
		expect(RoiAssumptionsSchema.parse({})).toMatchObject({
			currency: '',
			investments: [],
			baseline: null,
			comparison: null
		});
	});

	it('takes the first and last half-year of a long range, the halves of a short one', () => {
		expect(periodsFromRange('2024-11-01', '2026-10-31')).toEqual({
			baseline: { from: '2024-11-01', to: '2025-05-01' },
			comparison: { from: '2026-05-03', to: '2026-10-31' }
		});
		expect(periodsFromRange('2025-01-01', '2025-03-31')).toEqual({
			baseline: { from: '2025-01-01', to: '2025-02-14' },
			comparison: { from: '2025-02-15', to: '2025-03-31' }
		});
	});

	it('shows money without a made-up currency, and names the benefits it leaves out', () => {
		expect(moneyFormat('en', '')(41_000_000)).toBe('41M');
		expect(moneyFormat('en', 'EUR')(41_000_000)).toBe('€41M');
		// Below ten thousand: whole units, grouped, sign first — never "-¥1566.1".
		expect(moneyFormat('zh-CN', 'CNY')(-1566.1)).toBe('-¥1,566');
		expect(moneyFormat('en', 'CNY')(-469.8)).toBe('-CN¥470');
		expect(moneyFormat('zh-CN', 'CNY')(41_000_000)).toBe('¥4100万');
		expect(moneyFormat('zh-CN', 'CNY')(-183_000)).toBe('-¥18.3万');
		expect(missingBenefits(['currencyUnset', 'retentionNoBaseline', 'deflectionNoBaseline'])).toEqual([
			'retention',
			'deflection'
		]);
	});
});
