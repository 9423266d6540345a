import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../ingest/demo/topics';
import {
	applyRules,
	compileRules,
	DEFAULT_JOURNEY_RULES,
	JourneyRulesSchema
} from '../../ingest/enrichment/journey-rules';
import { InteractionSchema } from '../../schemas/entities';
import { painPointId, parsePainPointId, SeveritySettingsSchema, type CellMetrics } from '../../schemas/journey';
import { assess, baselineOf, severityOf, contextOf } from '../../src/lib/server/queries/journey/severity';
import { shapePaths } from '../../src/lib/server/queries/journey/paths';
import { wholeWeeks } from '../../src/lib/server/queries/kpi/filter';
import { wholeMonths } from '../../src/lib/server/queries/kpi/filter';
import { csvCell, csvLine } from '../../src/lib/csv';
import { salientTerms } from '../../src/lib/server/text/terms';
import { buildSparkline } from '../../src/lib/charts/sparkline/spec';
import { buildSankeySpec, fitLabel } from '../../src/lib/charts/sankey/spec';
import { buildEmotionSpec } from '../../src/lib/charts/emotion-curve/spec';
import { filterQuery, readFilter } from '../../src/routes/journey/url-filter';

/** The relative model alone: the absolute floors switched off (they have their own tests below). */
const off = { yellow: null, red: null };
const NO_FLOORS = {
	csatMean: off,
	complaint: off,
	lowCsat: off,
	negSentiment: off,
	unresolved: off,
	repeat: off
};
const settings = SeveritySettingsSchema.parse({ floors: NO_FLOORS });

function cell(
	touchpoint: string,
	rates: Partial<Record<keyof CellMetrics['rates'], number | null>>,
	n = 500
): CellMetrics {
	const r = { complaint: 0.05, lowCsat: 0.05, negSentiment: 0.15, unresolved: 0.2, repeat: 0.15, ...rates };
	return {
		stage: 's',
		touchpoint,
		channel: '',
		interactions: n,
		customers: Math.round(n / 2),
		hvInteractions: Math.round(n / 10),
		complaints: Math.round((r.complaint ?? 0) * n),
		csat: 7,
		sentiment: 0,
		fcr: 0.7,
		avgHandleSeconds: 300,
		rates: r,
		samples: {
			complaint: n,
			lowCsat: r.lowCsat === null ? 0 : n,
			negSentiment: r.negSentiment === null ? 0 : n,
			unresolved: n,
			repeat: n
		}
	};
}

describe('severity model', () => {
	const healthy = ['a', 'b', 'c', 'd', 'e', 'f'].map((t) => cell(t, {}));
	const severe = cell('severe', { complaint: 0.45, lowCsat: 0.9, negSentiment: 0.75, unresolved: 0.62, repeat: 0.5 });
	const moderate = cell('moderate', {
		complaint: 0.3,
		lowCsat: 0.62,
		negSentiment: 0.55,
		unresolved: 0.5,
		repeat: 0.4
	});
	const minor = cell('minor', { complaint: 0.1, lowCsat: 0.12, negSentiment: 0.25, unresolved: 0.33, repeat: 0.3 });
	const all = [...healthy, severe, moderate, minor];

	it('takes the per-factor median as the baseline, so bad cells do not raise the bar', () => {
		const b = baselineOf(all, settings);
		expect(b.complaint).toBeCloseTo(0.05);
		expect(b.lowCsat).toBeCloseTo(0.05);
	});

	it('colours cells red / yellow / blue / none and explains why, largest factor first', () => {
		const { results } = assess(all, [], settings, (c) => c.touchpoint);
		expect(results.get('severe')!.severity).toBe('red');
		expect(results.get('moderate')!.severity).toBe('yellow');
		expect(results.get('minor')!.severity).toBe('blue');
		expect(results.get('a')!.severity).toBe('none');
		expect(results.get('a')!.reason).toBe('below-threshold');
		const why = results.get('severe')!.why;
		expect(why[0]!.factor).toBe('lowCsat');
		expect(why.map((w) => w.excess)).toEqual([...why.map((w) => w.excess)].sort((x, y) => y - x));
	});

	it('does not flag a cell below the minimum sample size', () => {
		const tiny = cell('tiny', { complaint: 0.9, lowCsat: 0.9, negSentiment: 0.9, unresolved: 0.9, repeat: 0.9 }, 12);
		const r = severityOf(tiny, contextOf([...all, tiny], settings), null);
		expect(r.severity).toBe('none');
		expect(r.reason).toBe('small-sample');
	});

	it('judges a cell on the factors it has: missing sentiment or CSAT is not counted as good or bad', () => {
		const noSentiment = cell('nosent', {
			complaint: 0.45,
			lowCsat: 0.9,
			negSentiment: null,
			unresolved: 0.62,
			repeat: 0.5
		});
		const r = severityOf(noSentiment, contextOf(all, settings), null);
		expect(r.severity).toBe('red');
		expect(r.why.map((w) => w.factor)).not.toContain('negSentiment');
		const nothing = cell('social', {
			complaint: null,
			lowCsat: null,
			negSentiment: null,
			unresolved: null,
			repeat: null
		});
		nothing.samples = { complaint: 0, lowCsat: 0, negSentiment: 0, unresolved: 0, repeat: 0 };
		expect(severityOf(nothing, contextOf(all, settings), null).reason).toBe('no-signals');
	});

	it('weights by impact: a worsening trend and more customers raise the score, within bounds', () => {
		const ctx = contextOf(all, settings);
		const flat = severityOf(moderate, ctx, null);
		const worse = severityOf(moderate, ctx, flat.badness - 0.2);
		expect(worse.score).toBeGreaterThan(flat.score);
		expect(worse.multiplier).toBeLessThanOrEqual(1.25);
		const big = severityOf({ ...moderate, customers: moderate.customers * 8 }, ctx, null);
		expect(big.impact).toBeGreaterThan(flat.impact * 8);
	});

	it('reads thresholds and weights from settings', () => {
		const strict = SeveritySettingsSchema.parse({
			floors: NO_FLOORS,
			thresholds: { red: 0.9, yellow: 0.5, blue: 0.3 }
		});
		expect(assess(all, [], strict, (c) => c.touchpoint).results.get('severe')!.severity).toBe('yellow');
		const onlyComplaints = SeveritySettingsSchema.parse({
			floors: NO_FLOORS,
			weights: { complaint: 1, lowCsat: 0, negSentiment: 0, unresolved: 0, repeat: 0 }
		});
		expect(
			assess(all, [], onlyComplaints, (c) => c.touchpoint)
				.results.get('severe')!
				.why.map((w) => w.factor)
		).toEqual(['complaint']);
	});
});

describe('stage/touchpoint rules', () => {
	it('are valid and assign every demo topic template to its topic (keywords only)', () => {
		expect(JourneyRulesSchema.safeParse(DEFAULT_JOURNEY_RULES).success).toBe(true);
		const compiled = compileRules(DEFAULT_JOURNEY_RULES);
		const fill = (t: string) =>
			t
				.replace('{product}', 'Aurora X2 phone')
				.replace('{accessory}', 'fast charger')
				.replace('{order}', '#123456')
				.replace('{days}', '5')
				.replace('{amount}', '$40')
				.replace('{festival}', "Singles' Day");
		const wrong: string[] = [];
		for (const topic of TOPICS) {
			for (const text of [...topic.en.pos, ...topic.en.neg, ...topic.zh.pos, ...topic.zh.neg]) {
				const r = InteractionSchema.parse({
					source: 'x',
					source_id: '1',
					ts: '2026-01-01T00:00:00Z',
					channel: 'weibo',
					text: `@TouchmapCare ${fill(text)} 再这样就退货了。`
				});
				applyRules([r], compiled, 'x');
				if (r.touchpoint !== topic.touchpoint || r.stage !== topic.stage) wrong.push(`${text} → ${r.touchpoint}`);
			}
		}
		// The closer "再这样就退货了" (I'll return it) must not pull posts into returns.
		expect(wrong).toEqual([]);
	});

	it('fill only what the mapping left empty and leave unmatched records unassigned', () => {
		const compiled = compileRules(DEFAULT_JOURNEY_RULES);
		const base = { source: 'x', source_id: '1', ts: '2026-01-01T00:00:00Z', channel: 'x' as const };
		const mapped = InteractionSchema.parse({
			...base,
			stage: 'purchase',
			touchpoint: 'checkout',
			text: 'where is my refund'
		});
		const byIntent = InteractionSchema.parse({ ...base, intent: 'refund' });
		const byQueue = InteractionSchema.parse({ ...base, attributes: { queue: 'Shipping' } });
		const none = InteractionSchema.parse({ ...base, text: 'hello there' });
		expect(applyRules([mapped, byIntent, byQueue, none], compiled, 'x')).toBe(2);
		expect(mapped.touchpoint).toBe('checkout');
		expect([byIntent.stage, byIntent.touchpoint, byIntent.intent]).toEqual(['after_sales', 'refund request', 'refund']);
		expect([byQueue.stage, byQueue.intent]).toEqual(['delivery', 'delivery']);
		expect(none.stage).toBe('');
	});
});

describe('terms, masking, CSV, ids', () => {
	it('finds the words that set a pain point apart, in English and Chinese', () => {
		const target = Array.from({ length: 30 }, (_, i) => ({
			text: i % 2 ? `My order is ${i} days late and tracking has not moved` : '快递一直没到，物流没有更新',
			language: i % 2 ? 'en' : 'zh'
		}));
		const background = Array.from({ length: 60 }, (_, i) => ({
			text: i % 2 ? 'I want to renew my membership, thanks' : '我想续费会员，谢谢',
			language: i % 2 ? 'en' : 'zh'
		}));
		const terms = salientTerms(target, background, 10).map((t) => t.term);
		expect(terms.some((t) => /late|tracking/.test(t))).toBe(true);
		expect(terms.some((t) => /物流|快递/.test(t))).toBe(true);
		expect(terms).not.toContain('my');
		expect(salientTerms([], background)).toEqual([]);
	});

	it('quotes CSV cells and defuses formulas', () => {
		expect(csvLine(['a,b', 'say "hi"', null, 3])).toBe('"a,b","say ""hi""",,3\r\n');
		expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
		expect(csvCell(-1)).toBe('-1');
	});

	it('round-trips pain-point ids, including touchpoints with spaces and &', () => {
		const id = painPointId('after_sales', 'returns & exchange');
		expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(parsePainPointId(id)).toEqual({ stage: 'after_sales', touchpoint: 'returns & exchange', by: 'touchpoint' });
		// A reason of the same name is another pain point.
		const reason = painPointId('after_sales', 'returns & exchange', 'reason');
		expect(reason).not.toBe(id);
		expect(parsePainPointId(reason)).toEqual({ stage: 'after_sales', touchpoint: 'returns & exchange', by: 'reason' });
		expect(parsePainPointId(btoa('after_sales\u001fx\u001fchannel'))).toBeUndefined();
		expect(parsePainPointId('%%%')).toBeUndefined();
	});

	it('reads and writes the journey filter in the URL, dropping unknown values', () => {
		const f = readFilter(
			new URL('http://x/journey?from=2026-01-01&segment=high&channels=phone,fax&scenarios=complaint'),
			'2026-10-31'
		);
		expect(f).toEqual({
			from: '2026-01-01',
			to: '2026-10-31',
			segment: 'high',
			channels: ['phone'],
			regions: [],
			scenarios: ['complaint'],
			intents: []
		});
		expect(filterQuery(f, { page: 2 })).toBe(
			'from=2026-01-01&to=2026-10-31&segment=high&channels=phone&scenarios=complaint&page=2'
		);
		expect(readFilter(new URL('http://x/journey'), '2026-10-31').from).toBe('2026-08-03');
		expect(readFilter(new URL('http://x/journey'), '').from).toBe('');
	});
});

describe('roll-up buckets', () => {
	it('covers a range with whole months, whole weeks outside them, and days', () => {
		const m = wholeMonths('2026-08-03', '2026-10-31');
		expect(m).toEqual({ full_from: '2026-09-01', full_to: '2026-11-01' });
		// Aug 31 – Sep 6 straddles the month span: its Aug 31 is read as a day.
		expect(wholeWeeks('2026-08-03', '2026-10-31', m)).toEqual(['2026-08-03', '2026-08-10', '2026-08-17', '2026-08-24']);
		const none = wholeMonths('2026-10-07', '2026-10-20');
		expect(wholeWeeks('2026-10-07', '2026-10-20', none)).toEqual(['2026-10-12']);
		expect(wholeWeeks('2026-10-13', '2026-10-18', none)).toEqual([]);
	});
});

describe('paths and charts', () => {
	const rows = [
		{ path: ['awareness', 'purchase', 'delivery'], channels: 1, customers: 5 },
		{ path: ['awareness', 'purchase'], channels: 2, customers: 3 },
		{ path: ['delivery'], channels: 3, customers: 2 }
	];

	it('turns path counts into nodes, links with drop-off, top paths and channel switching', () => {
		const p = shapePaths(rows, 3, 2, 1);
		expect(p.customers).toBe(10);
		expect(p.nodes.find((n) => n.id === '1:awareness')).toMatchObject({ customers: 8, dropOff: 0 });
		expect(p.nodes.find((n) => n.id === '2:purchase')).toMatchObject({ customers: 8, dropOff: 3 });
		expect(p.nodes.find((n) => n.id === '1:delivery')).toMatchObject({ customers: 2, dropOff: 2 });
		// A path that reaches the chosen depth has not dropped off.
		expect(p.nodes.find((n) => n.id === '3:delivery')).toMatchObject({ customers: 5, dropOff: 0 });
		expect(p.links.find((l) => l.source === '1:awareness' && l.target === '2:purchase')?.value).toBe(8);
		expect(p.topPaths).toEqual([
			{ path: ['awareness', 'purchase', 'delivery'], customers: 5 },
			{ path: ['awareness', 'purchase'], customers: 3 }
		]);
		expect(p.channelSwitching.map((c) => c.share)).toEqual([0.5, 0.3, 0.2]);
		expect(shapePaths(rows, 3, 2, 4).customers).toBe(40);
	});

	it('lays out the Sankey with every kept node inside the drawing', () => {
		const p = shapePaths(rows, 3, 5, 1);
		const s = buildSankeySpec(p.nodes, p.links, { width: 600, height: 300 });
		expect(s.nodes.length).toBe(p.nodes.length);
		for (const n of s.nodes) {
			expect(n.x0).toBeGreaterThanOrEqual(0);
			expect(n.x1).toBeLessThanOrEqual(600);
			expect(n.y1).toBeLessThanOrEqual(300);
		}
		expect(s.links.every((l) => l.path.startsWith('M'))).toBe(true);
		expect(buildSankeySpec([], [], { width: 600, height: 300 }).nodes).toEqual([]);
	});

	it('colours Sankey stages from a neutral palette and fits labels before the next step', () => {
		const stages = ['Discover', 'Purchase', 'Delivery', 'Support', 'Returns', 'Loyalty', 'Billing', 'Account'];
		const nodes = Array.from({ length: 10 }, (_, step) => ({
			id: `${step}`,
			step,
			label: `${stages[step % stages.length]} / a long touchpoint name here`,
			customers: 100,
			dropOff: 0
		}));
		const links = nodes.slice(1).map((n, i) => ({ source: `${i}`, target: n.id, value: 100 }));
		const s = buildSankeySpec(nodes, links, { width: 900, height: 300 });
		const severity = ['#d64545', '#e0a100', '#3b7dd8', '#c4313a', '#a15c00', '#1a7f4b', '#2f6fde'];
		for (const n of s.nodes) expect(severity).not.toContain(n.color);
		// Eight stages, eight colours.
		expect(new Set(s.nodes.map((n) => n.color)).size).toBe(8);
		for (const n of s.nodes) {
			const text = fitLabel(n.label, n.labelRoom);
			expect(n.x1 + 5 + [...text].length * 11.5 * 0.58).toBeLessThanOrEqual(
				s.nodes.filter((m) => m.x0 > n.x0).reduce((x, m) => Math.min(x, m.x0), s.width)
			);
		}
		expect(fitLabel('配送 / 物流查询', 30)).toMatch(/…$/);
		expect(fitLabel('short', 200)).toBe('short');
	});

	it('draws sparklines with gaps for buckets too small to judge', () => {
		const s = buildSparkline([0.1, null, 0.3, 0.2], { width: 100, height: 20 });
		expect(s.path.match(/M/g)?.length).toBe(2);
		expect(s.last?.x).toBe(99);
		expect(s.last?.y).toBeCloseTo(7, 5);
		expect(buildSparkline([null], { width: 10, height: 10 }).last).toBeNull();
	});

	it('puts CSAT and sentiment on one 0–10 axis in stage order', () => {
		const s = buildEmotionSpec(
			[
				{ stage: 'delivery', csat: 3, sentiment: -0.5 },
				{ stage: 'awareness', csat: 8, sentiment: null }
			],
			{ stages: ['awareness', 'delivery'], label: (x) => x.toUpperCase(), width: 500 }
		);
		expect(s.points.map((p) => [p.stage, p.series, p.y])).toEqual([
			['awareness', 'csat', 8],
			['delivery', 'csat', 3],
			['delivery', 'sentiment', 2.5]
		]);
		expect(s.domain).toEqual(['AWARENESS', 'DELIVERY']);
	});

	it('labels the two curves on opposite sides at each stage, so labels never overprint', () => {
		const s = buildEmotionSpec(
			[
				// After-sales in the demo: CSAT 4.91 and sentiment −0.05 (4.75 on the axis), a hair apart.
				{ stage: 'after_sales', csat: 4.91, sentiment: -0.05 },
				{ stage: 'delivery', csat: 1.27, sentiment: -0.34 },
				{ stage: 'loyalty', csat: 0.4, sentiment: -0.95 },
				{ stage: 'awareness', csat: 8, sentiment: null }
			],
			{ stages: ['awareness', 'delivery', 'after_sales', 'loyalty'], label: (x) => x, width: 500 }
		);
		expect(s.points.map((p) => [p.stage, p.series, p.place])).toEqual([
			['awareness', 'csat', 'above'],
			['delivery', 'csat', 'below'],
			['delivery', 'sentiment', 'above'],
			['after_sales', 'csat', 'above'],
			['after_sales', 'sentiment', 'below'],
			// No room below the axis floor: the lower label goes above and the higher one over it.
			['loyalty', 'csat', 'stacked'],
			['loyalty', 'sentiment', 'above']
		]);
	});
});
