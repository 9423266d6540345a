import { describe, expect, it } from 'vitest';
import { shapeNeeds, monthList, reasonNeeds } from '../../src/lib/server/queries/customers/needs';
import type { DictionaryEntry } from '../../ingest/enrichment/reasons/resolve';
import { minusMonths } from '../../src/lib/server/queries/customers/rules';
import { auc, precisionAtTopDecile, reasonText } from '../../src/lib/server/churn/model';
import { CustomerRulesSchema, CustomerRulesUpdateSchema } from '../../schemas/customers';

describe('rules', () => {
	it('fills defaults and validates updates', () => {
		expect(CustomerRulesSchema.parse({}).highValue).toEqual({
			minTenureYears: 3,
			minMonthlyInteractions: 5,
			months: 3
		});
		expect(CustomerRulesUpdateSchema.safeParse({ highValue: { months: 0 } }).success).toBe(false);
		expect(CustomerRulesUpdateSchema.safeParse({ highValue: { extra: 1 } }).success).toBe(false);
	});
	it.each([
		['2026-10-31', 36, '2023-10-31'],
		['2026-03-31', 1, '2026-02-28'],
		['2026-10-01', 0, '2026-10-01']
	])('minusMonths(%s, %i) = %s', (d, m, want) => expect(minusMonths(d, m)).toBe(want));
});

describe('needs shaping', () => {
	const row = (bucket: string, scenario: string, intent: string, interactions: number, reason_id = '') => ({
		bucket,
		scenario,
		intent,
		reason_id,
		interactions
	});
	it('ranks intents per scenario with monthly series and trend', () => {
		const months = monthList('2026-10-31', 6);
		expect(months).toEqual(['2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01']);
		const rows = [
			...months.map((m) => row(m, 'complaint', 'delivery', 10)),
			row('2026-10-01', 'complaint', 'refund', 30),
			row('2026-05-01', 'inquiry', 'billing', 4)
		];
		const out = shapeNeeds(rows, months, 'all', 5);
		const c = out.filter((r) => r.scenario === 'complaint');
		expect(c.map((r) => r.intent)).toEqual(['delivery', 'refund']);
		expect(c[0]).toMatchObject({ interactions: 60, share: 60 / 90, trend: 0, monthly: [10, 10, 10, 10, 10, 10] });
		expect(c[1]!.trend).toBeNull();
		expect(out.find((r) => r.scenario === 'inquiry')!.trend).toBe(-1);
	});

	it('counts contacts without an intent for their contact reason, as the dictionary resolves it', () => {
		const entry = (id: string, name: string, stage: string, more: Partial<DictionaryEntry> = {}): DictionaryEntry => ({
			id,
			name,
			stage,
			hidden: 0,
			merged_into: '',
			kind: 'reason',
			phrases: [],
			examples: [],
			size: 0,
			stage_guessed: 1,
			...more
		});
		const reasons = reasonNeeds([
			entry('r1', 'credit report errors', 'after_sales'),
			entry('r2', 'wrong report', 'after_sales', { merged_into: 'r1' }),
			entry('r3', 'card activation', 'purchase'),
			entry('r4', 'spam', 'awareness', { hidden: 1 }),
			entry('other', 'Other', 'after_sales', { kind: 'other' })
		]);
		const months = monthList('2026-10-31', 2);
		const out = shapeNeeds(
			[
				row('2026-10-01', 'complaint', '', 7, 'r1'),
				row('2026-10-01', 'complaint', '', 3, 'r2'), // merged into r1
				row('2026-09-01', '', '', 5, 'r3'), // no scenario: its reason's stage (purchase) gives one
				row('2026-10-01', '', '', 9, 'r4'), // hidden
				row('2026-10-01', 'complaint', '', 9, 'other'),
				row('2026-10-01', 'complaint', 'refund', 2, 'r1') // an intent wins over the reason
			],
			months,
			'all',
			5,
			reasons
		);
		expect(out.map((r) => [r.scenario, r.intent, r.reason, r.interactions])).toEqual([
			['transaction', 'card activation', 'r3', 5],
			['complaint', 'credit report errors', 'r1', 10],
			['complaint', 'refund', null, 2]
		]);
		expect(out[1]!.share).toBeCloseTo(10 / 12, 9);
	});
});

describe('model metrics', () => {
	it('computes AUC and precision at the top decile', () => {
		expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
		expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
		const scores = Array.from({ length: 20 }, (_, i) => i);
		expect(
			precisionAtTopDecile(
				scores,
				scores.map((i) => (i >= 19 ? 1 : 0))
			)
		).toBe(0.5);
	});
	it('gives reasons only in the direction a person can act on', async () => {
		const { train, score } = await import('../../src/lib/server/churn/model');
		const row = (id: number, churned: boolean) => ({
			customer_id: `c${id}`,
			churned: churned ? 1 : 0,
			known: 1,
			segment: id % 2 ? 'a' : 'b',
			tier: '',
			region: '',
			attributes: { status_code: 'x', plan: id % 3 ? 'basic' : 'pro' },
			lifetime_value: 100 + (id % 7) * 10,
			revenue: 0,
			tenure_years: 2,
			n_total: 20,
			n90: churned ? 0 : 5 + (id % 4),
			n_prev90: 6,
			days_since_last: churned ? 60 + (id % 30) : 5 + (id % 20),
			c90: id % 3,
			unres90: 0,
			s90_sum: 0,
			s90_n: 0,
			sprev_sum: 0,
			sprev_n: 0,
			csat90_sum: 0,
			csat90_n: 0,
			channels: 3,
			max_same: 0,
			orders_365d: 1,
			spend_365d: 50,
			days_since_order: 30
		});
		const rows = Array.from({ length: 120 }, (_, i) => row(i, i % 6 === 0));
		const model = train(rows, { steps: 400 });
		// An attribute whose name looks like an outcome is never a feature.
		expect(model.spec.categorical.some(([c]) => c.includes('status'))).toBe(false);
		expect(model.spec.categorical.some(([c]) => c === 'attr:plan')).toBe(true);
		const quiet = score(model, row(999, true));
		const active = score(model, row(998, false));
		expect(quiet.score).toBeGreaterThan(active.score);
		const silence = quiet.reasons.find((r) => r.feature === 'days_since_last');
		expect(silence?.text).toMatch(/^No contact for \d+ days, typical \d+$/);
		for (const r of [...quiet.reasons, ...active.reasons]) {
			if (r.feature === 'days_since_last' || r.feature === 'complaints_90d') expect(r.above).toBe(true);
			if (r.feature === 'contacts_90d') expect(r.above).toBe(false);
		}
	});

	it('words reasons', () => {
		expect(reasonText('days_since_last', 120, 21.4)).toBe('No contact for 120 days, typical 21');
		expect(reasonText('days_since_last', NaN, 21)).toBe('No contact on record');
		expect(reasonText('tenure_years', 1 / 12, 29 / 12)).toBe('Account age 1 month, typical 29 months');
		expect(reasonText('tenure_years', 0.5, 6)).toBe('Account age 1 year, typical 6 years');
		expect(reasonText('attr:num_of_products', 3, 1)).toBe('num of products 3, typical 1');
	});
});

describe('chart specs', () => {
	it('segment-compare: shares within each group, ordered by the segment', async () => {
		const { buildSegmentCompareSpec } = await import('../../src/lib/charts/segment-compare/spec');
		const spec = buildSegmentCompareSpec(
			[
				{
					group: 'high_value',
					items: [
						{ key: 'phone', n: 30 },
						{ key: 'email', n: 10 }
					]
				},
				{
					group: 'others',
					items: [
						{ key: 'email', n: 50 },
						{ key: 'phone', n: 50 },
						{ key: 'app', n: 100 }
					]
				}
			],
			{ width: 500, top: 2, label: (k) => k.toUpperCase(), groupLabel: (g) => g }
		);
		expect(spec.labels).toEqual(['PHONE', 'EMAIL']);
		expect(spec.bars).toEqual([
			{ key: 'phone', label: 'PHONE', group: 'high_value', groupLabel: 'high_value', n: 30, share: 0.75 },
			{ key: 'phone', label: 'PHONE', group: 'others', groupLabel: 'others', n: 50, share: 0.25 },
			{ key: 'email', label: 'EMAIL', group: 'high_value', groupLabel: 'high_value', n: 10, share: 0.25 },
			{ key: 'email', label: 'EMAIL', group: 'others', groupLabel: 'others', n: 50, share: 0.25 }
		]);
		expect(spec.maxShare).toBe(0.75);
	});

	it('signal-trend: drops unknown values and sorts by month', async () => {
		const { buildSignalTrendSpec } = await import('../../src/lib/charts/signal-trend/spec');
		const spec = buildSignalTrendSpec(
			[
				{ month: '2026-02-01', group: 'others', value: 0.2 },
				{ month: '2026-01-01', group: 'high_value', value: null },
				{ month: '2026-01-01', group: 'others', value: 0.1 }
			],
			{ width: 100, groupLabel: (g) => g }
		);
		expect(spec.points.map((p) => [p.month, p.value])).toEqual([
			['2026-01-01', 0.1],
			['2026-02-01', 0.2]
		]);
		expect(spec.width).toBe(260);
		expect([spec.min, spec.max]).toEqual([0, 0.2]);
		expect(spec.domain[0]).toBe(0);
		expect(spec.domain[1]).toBeCloseTo(0.22, 9);
	});

	it('signal-trend: values all below zero stay inside the y domain', async () => {
		const { buildSignalTrendSpec } = await import('../../src/lib/charts/signal-trend/spec');
		const values = [-0.31, -0.12, -0.45];
		const spec = buildSignalTrendSpec(
			values.map((value, i) => ({ month: `2026-0${i + 1}-01`, group: 'others' as const, value })),
			{ width: 400, groupLabel: (g) => g }
		);
		const [lo, hi] = spec.domain;
		for (const v of values) expect(v >= lo && v <= hi, String(v)).toBe(true);
		expect(hi).toBe(0);
		expect(lo).toBeCloseTo(-0.45 - 0.045, 9);
	});

	it('journey-timeline: lanes by volume, sentiment bands, orders in their own lane', async () => {
		const { buildJourneySpec, sentimentBand } = await import('../../src/lib/charts/journey-timeline/spec');
		const spec = buildJourneySpec(
			[
				{ ts: '2026-01-02 10:00:00.000', channel: 'phone', kind: 'complaint', sentiment: -0.6, label: 'a' },
				{ ts: '2026-01-01 10:00:00.000', channel: 'phone', kind: 'contact', sentiment: 0.5, label: 'b' },
				{ ts: '2026-01-03 10:00:00.000', channel: 'order', kind: 'order', sentiment: null, label: 'c' }
			],
			{ width: 600, channelLabel: (c) => c }
		);
		expect(spec.lanes).toEqual(['phone', 'order']);
		expect(spec.points.map((p) => [p.label, p.band])).toEqual([
			['b', 'positive'],
			['a', 'negative'],
			['c', 'unknown']
		]);
		expect(sentimentBand(0)).toBe('neutral');
	});
});
