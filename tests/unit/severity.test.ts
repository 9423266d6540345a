import { describe, expect, it } from 'vitest';
import { SeveritySettingsSchema, type CellMetrics, type JourneyCell } from '../../schemas/journey';
import { assess, floorsOf, reachOf } from '../../src/lib/server/queries/journey/severity';
import { toMetrics } from '../../src/lib/server/queries/journey/map';
import { worstChannel, worstRate } from '../../src/lib/server/queries/pain-points/pain-points';

const settings = SeveritySettingsSchema.parse({});
const key = (c: CellMetrics) => `${c.touchpoint}/${c.channel}`;

/** A cell as the roll-up gives it: sums in, rates out (the same path the map takes). */
function cell(
	touchpoint: string,
	o: {
		n?: number;
		customers?: number;
		authors?: number;
		unattributed?: number;
		complaints?: number;
		measured?: number;
		complaintLike?: number;
		csat?: number | null;
		lowCsat?: number;
		neg?: number | null;
		unresolved?: number | null;
		channel?: string;
	} = {}
): CellMetrics {
	const n = o.n ?? 400;
	const csatN = o.csat === null ? 0 : n;
	const sentN = o.neg === null ? 0 : n;
	const outcomeN = o.unresolved === null ? 0 : n;
	const { level: _level, ...m } = toMetrics({
		stage: 's',
		touchpoint,
		channel: o.channel ?? '',
		level: o.channel ? 'cell' : 'touchpoint',
		interactions: n,
		customers: o.customers ?? Math.round(n / 2),
		authors: o.authors ?? 0,
		unattributed: o.unattributed ?? 0,
		hv_interactions: 0,
		complaints: Math.round((o.complaints ?? 0.05) * n),
		complaint_measured: o.measured ?? n,
		complaint_like: o.complaintLike ?? 0,
		csat_sum: (o.csat ?? 8) * csatN,
		csat_n: csatN,
		csat_low: Math.round((o.lowCsat ?? 0.08) * csatN),
		sentiment_sum: 0,
		sentiment_n: sentN,
		sentiment_neg: Math.round((o.neg ?? 0.15) * sentN),
		fcr_sum: 0,
		fcr_n: 0,
		handle_sum: 0,
		handle_n: 0,
		outcome_n: outcomeN,
		unresolved: Math.round((o.unresolved ?? 0.15) * outcomeN),
		repeat_n: 0,
		repeats: 0
	});
	void _level;
	return m;
}

describe('absolute floors', () => {
	it('flags a uniformly bad data set red, though no cell stands out from the others', () => {
		const bad = ['a', 'b', 'c', 'd', 'e'].map((t) => cell(t, { csat: 1.7, lowCsat: 0.79 }));
		const { results } = assess(bad, [], settings, key);
		expect([...results.values()].map((r) => r.severity)).toEqual(['red', 'red', 'red', 'red', 'red']);
		const r = results.get('a/')!;
		expect(r.badness).toBe(0); // nothing stands out: only the absolute standard flags it
		expect(r.floors[0]).toMatchObject({ level: 'red' });
		expect(r.floors.find((f) => f.measure === 'csatMean')).toEqual({
			measure: 'csatMean',
			value: 1.7,
			limit: 2.5,
			level: 'red'
		});
	});

	it('raises to at least yellow at 60 % negative sentiment, and never above it from that floor alone', () => {
		const cells = [...['a', 'b', 'c', 'd'].map((t) => cell(t, { neg: 0.65 }))];
		const { results } = assess(cells, [], settings, key);
		expect(results.get('a/')!.severity).toBe('yellow');
		const healthy = assess([cell('a', { neg: 0.3 }), cell('b', { neg: 0.3 })], [], settings, key);
		expect(healthy.results.get('a/')!.severity).toBe('none');
	});

	it('follows the floors in the settings, and can switch one off', () => {
		const bad = ['a', 'b', 'c'].map((t) => cell(t, { csat: 1.7, lowCsat: 0.79 }));
		const off = SeveritySettingsSchema.parse({
			floors: {
				...settings.floors,
				csatMean: { yellow: null, red: null },
				lowCsat: { yellow: 0.3, red: 0.9 }
			}
		});
		expect(assess(bad, [], off, key).results.get('a/')!.severity).toBe('yellow');
		expect(floorsOf(bad[0]!, off).map((f) => f.measure)).toEqual(['lowCsat']);
	});

	it('judges a complaint queue by its outcome, not by its complaints or sentiment', () => {
		// A regulator's export: every contact a complaint, nearly all negative.
		const queue = ['a', 'b', 'c', 'd'].map((t) => cell(t, { complaints: 1, neg: 0.9, unresolved: 0.1 }));
		queue.push(cell('late', { complaints: 1, neg: 0.9, unresolved: 0.4 }));
		queue.push(cell('angry', { complaints: 1, neg: 1, unresolved: 0.1 }));
		const { results } = assess(queue, [], settings, key);
		expect(results.get('a/')!.severity).toBe('none');
		expect(results.get('a/')!.floors).toEqual([]);
		expect(results.get('angry/')!.severity).toBe('none');
		expect(results.get('late/')!.severity).toBe('blue'); // (+30pt unresolved, 0 low CSAT) / 2
		expect(results.get('late/')!.why.map((w) => w.factor)).toEqual(['unresolved']);
		// Switched off, the sentiment floor marks every cell again.
		const always = SeveritySettingsSchema.parse({ complaintQueueShare: null });
		expect(assess(queue, [], always, key).results.get('a/')!.severity).toBe('red');
		// A cell where complaints are a minority is still judged by it.
		expect(floorsOf(cell('x', { complaints: 0.5, neg: 0.95 }), settings).map((f) => f.measure)).toEqual([
			'negSentiment'
		]);
	});

	it('leaves a floor out when its factor has too few observations', () => {
		const few = cell('a', { csat: 1, lowCsat: 1 });
		few.samples.lowCsat = settings.minFactorSample - 1;
		expect(floorsOf(few, settings)).toEqual([]);
	});
});

describe('reach and the minimum sample', () => {
	it('counts anonymous authors and bare contacts, and names the unit', () => {
		expect(reachOf(cell('x', { customers: 120 }))).toEqual({ reach: 120, unit: 'customers' });
		expect(reachOf(cell('x', { customers: 0, authors: 300 }))).toEqual({ reach: 300, unit: 'authors' });
		expect(reachOf(cell('x', { customers: 0, unattributed: 80 }))).toEqual({ reach: 80, unit: 'contacts' });
		expect(reachOf(cell('x', { customers: 10, authors: 5, unattributed: 2 }))).toEqual({ reach: 17, unit: 'people' });
	});

	it('flags anonymous angry social posts and ranks them by the people they reach', () => {
		const cells = [
			...['a', 'b', 'c', 'd'].map((t) => cell(t, { customers: 200 })),
			// A mildly bad touchpoint of known customers.
			cell('billing', { customers: 200, complaints: 0.2, lowCsat: 0.25 }),
			// 757 posts from 500 handles, 94 % negative, no complaint flag, no CSAT, no outcome.
			cell('social', {
				n: 757,
				customers: 0,
				authors: 500,
				measured: 0,
				complaints: 0,
				complaintLike: 690,
				csat: null,
				neg: 0.94,
				unresolved: null
			})
		];
		const { results } = assess(cells, [], settings, key);
		const social = results.get('social/')!;
		expect(social.severity).toBe('red');
		expect(social.reach).toBe(500);
		expect(social.reachUnit).toBe('authors');
		expect(social.impact).toBeGreaterThan(results.get('billing/')!.impact);
		expect(social.why.map((w) => w.factor)).toContain('complaint'); // complaint language stood in
	});

	it('does not flag a 0-customer cell under the minimum sample', () => {
		const cells = [
			...['a', 'b', 'c'].map((t) => cell(t)),
			cell('tiny', { n: 12, customers: 0, unattributed: 12, csat: 1, lowCsat: 1, neg: 1 })
		];
		const r = assess(cells, [], settings, key).results.get('tiny/')!;
		expect(r.severity).toBe('none');
		expect(r.reason).toBe('small-sample');
		// Many contacts from few people is still too few people to call.
		const few = cell('few', { n: 200, customers: 0, authors: 4, csat: 1, lowCsat: 1, neg: 1 });
		expect(assess([...cells, few], [], settings, key).results.get('few/')!.reason).toBe('small-sample');
	});
});

describe('complaints where the source has no flag', () => {
	const social = { n: 100, customers: 0, authors: 80, measured: 0, complaints: 0, complaintLike: 40 };

	it('infers the complaint rate from complaint-like contacts by default', () => {
		const c = cell('x', social);
		expect(c.complaintMeasured).toBe(0);
		expect(c.rates.complaint).toBeCloseTo(0.4);
	});

	it('leaves the complaint factor out when inference is switched off', () => {
		const r = toMetrics(
			{
				stage: 's',
				touchpoint: 'x',
				channel: '',
				level: 'touchpoint',
				interactions: 100,
				customers: 0,
				hv_interactions: 0,
				complaints: 0,
				complaint_measured: 0,
				complaint_like: 40,
				csat_sum: 0,
				csat_n: 0,
				csat_low: 0,
				sentiment_sum: 0,
				sentiment_n: 0,
				sentiment_neg: 0,
				fcr_sum: 0,
				fcr_n: 0,
				handle_sum: 0,
				handle_n: 0,
				outcome_n: 0,
				unresolved: 0,
				repeat_n: 0,
				repeats: 0
			},
			{ inferComplaints: false }
		);
		expect(r.rates.complaint).toBeNull();
		expect(r.samples.complaint).toBe(0);
	});

	it('mixes flagged and inferred complaints by their own contacts', () => {
		// 100 flagged-source contacts with 10 complaints, 100 unflagged with 30 complaint-like.
		const c = cell('x', { n: 200, complaints: 0.05, measured: 100, complaintLike: 30 });
		expect(c.rates.complaint).toBeCloseTo((10 + 30) / 200);
	});
});

describe('worst channel', () => {
	it('is the worst by rate, not the one with the most contacts, and says which rate', () => {
		const cells = [
			cell('t', { channel: 'phone', n: 2000, customers: 900, lowCsat: 0.12 }),
			cell('t', { channel: 'chat', n: 200, customers: 150, lowCsat: 0.45 }),
			cell('t', { channel: 'email', n: 15, customers: 15, lowCsat: 0.99 }) // too few to judge
		];
		const { results } = assess(cells, [], settings, key);
		const judged = cells.map((c) => ({ ...c, severity: results.get(key(c))!, previous: null }) as JourneyCell);
		const worst = worstChannel(judged)!;
		expect(worst.channel).toBe('chat');
		expect(worstRate(worst)).toEqual({ factor: 'lowCsat', rate: 0.45 });
	});
});
