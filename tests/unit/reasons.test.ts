import { describe, expect, it } from 'vitest';
import {
	assignReason,
	discoverReasons,
	discoverWithAssignments,
	guessStage,
	loadReasonModel,
	NO_TEXT_REASON_ID,
	ReasonModelError,
	saveReasonModel,
	type ReasonModel
} from '../../ingest/enrichment/reasons';
import { purity } from '../../ingest/enrichment/reasons/metrics';
import { EN_TOPICS, plantedTexts, ZH_TOPICS } from '../fixtures/reason-topics';

const NOW = new Date('2025-01-01T00:00:00Z');

/** For each planted topic, the reason holding most of its texts. */
function reasonOfTopic(ids: string[], labels: string[]): Map<string, string> {
	const counts = new Map<string, Map<string, number>>();
	ids.forEach((id, i) => {
		const m = counts.get(labels[i]!) ?? new Map<string, number>();
		m.set(id, (m.get(id) ?? 0) + 1);
		counts.set(labels[i]!, m);
	});
	return new Map([...counts].map(([topic, m]) => [topic, [...m].sort((a, b) => b[1] - a[1])[0]![0]]));
}

describe.each([
	['English', EN_TOPICS, 'en' as const],
	['Chinese', ZH_TOPICS, 'zh' as const]
])('planted %s topics', (_, topics, lang) => {
	const { texts, labels } = plantedTexts(topics, lang);
	const { model, assignments } = discoverWithAssignments(texts, { now: NOW });
	const ids = assignments.map((a) => a.reasonId);

	it('recovers the topics (purity ≥ 0.9, every text on a real reason)', () => {
		expect(purity(ids, labels)).toBeGreaterThanOrEqual(0.9);
		expect(ids.filter((id) => id === 'other' || id === NO_TEXT_REASON_ID)).toHaveLength(0);
		// Each topic has a reason of its own.
		expect(new Set(reasonOfTopic(ids, labels).values()).size).toBe(Object.keys(topics).length);
	});

	it('names each reason by its planted words', () => {
		for (const [topic, id] of reasonOfTopic(ids, labels)) {
			const reason = model.reasons.find((r) => r.id === id)!;
			const planted = topics[topic]!.flatMap((p) => (lang === 'en' ? p.split(' ') : [p, ...p.match(/../g)!]));
			const named = reason.phrases.slice(0, 3).some((ph) => planted.some((w) => ph.includes(w.replace(/s$/, ''))));
			expect(named, `${topic} → "${reason.name}"`).toBe(true);
		}
	});

	it('keeps handles, links, numbers and masks out of the names', () => {
		for (const r of model.reasons) expect(r.phrases.join(' ')).not.toMatch(/brandcare|http|t\.co|\d|xx/i);
	});

	it('gives sizes that add up and a stage to every reason', () => {
		expect(model.reasons.reduce((s, r) => s + r.size, 0)).toBe(texts.length);
		for (const r of model.reasons) expect(r.stage).toBeTruthy();
	});
});

describe('no text', () => {
	const { texts } = plantedTexts(EN_TOPICS, 'en');
	const empties = ['', '   ', 'ok', '😀🙏👍', 'Thanks!!', '@sprintcare https://t.co/abc'];
	const { model, assignments } = discoverWithAssignments([...texts, ...empties], { now: NOW });

	it.each(empties)('%j goes to the "no text" bucket', (t) => {
		expect(assignReason(model, t)).toEqual({ reasonId: NO_TEXT_REASON_ID, score: 0 });
	});

	it('counts them in a visible bucket at discovery, none dropped', () => {
		expect(assignments).toHaveLength(texts.length + empties.length);
		expect(assignments.slice(texts.length).every((a) => a.reasonId === NO_TEXT_REASON_ID)).toBe(true);
		expect(model.reasons.find((r) => r.id === NO_TEXT_REASON_ID)!.size).toBe(empties.length);
	});

	it('keeps a single content word as a real text', () => {
		expect(assignReason(model, 'refund').reasonId).not.toBe(NO_TEXT_REASON_ID);
	});
});

describe('determinism and the stored model', () => {
	const { texts } = plantedTexts(EN_TOPICS, 'en');
	const a = discoverReasons(texts, { now: NOW });

	it('gives the same model for the same texts and seed', () => {
		expect(discoverReasons(texts, { now: NOW })).toEqual(a);
	});

	it('assigns the same text the same way every time, also after a JSON round trip', () => {
		const loaded = loadReasonModel(saveReasonModel(a));
		expect(loaded).toEqual(a);
		for (const t of texts.slice(0, 20)) {
			const first = assignReason(a, t);
			expect(assignReason(a, t)).toEqual(first);
			expect(assignReason(loaded, t)).toEqual(first);
		}
	});

	it('rejects a broken model with a clear message', () => {
		expect(() => loadReasonModel('{')).toThrow(ReasonModelError);
		const bad = structuredClone(a) as ReasonModel;
		bad.reasons[0]!.centroids[0]!.terms[0] = bad.vocabulary.length + 5;
		expect(() => loadReasonModel(bad)).toThrow(/centroid term out of vocabulary/);
		const noBucket = { ...a, reasons: a.reasons.filter((r) => r.id !== NO_TEXT_REASON_ID) };
		expect(() => loadReasonModel(noBucket)).toThrow(/reserved reason no-text missing/);
	});
});

describe('stage guess', () => {
	it.each([
		[['package', 'courier', 'delivery driver'], undefined, 'delivery'],
		[['checkout', 'payment failed'], undefined, 'purchase'],
		[['cancel subscription', 'renewal'], undefined, 'loyalty'],
		[['price', 'compare plan'], undefined, 'consideration'],
		[['promotion email', 'advert'], undefined, 'awareness'],
		[['退款', '投诉'], undefined, 'after_sales'],
		[['积分', '会员等级'], undefined, 'loyalty'],
		[['快递', '配送'], undefined, 'delivery'],
		[['something', 'else'], undefined, 'after_sales'],
		[['something'], 'track_order', 'delivery']
	] as const)('%j (intent %s) → %s', (phrases, intent, stage) => {
		expect(guessStage([...phrases], intent)).toBe(stage);
	});
});
