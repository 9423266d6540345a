import { describe, expect, it } from 'vitest';
import {
	assignReason,
	discoverWithAssignments,
	hideReason,
	mergeReasons,
	NO_TEXT_REASON_ID,
	OTHER_REASON_ID,
	ReasonEditError,
	rediscover,
	renameReason,
	setReasonStage,
	splitReason,
	type ReasonModel
} from '../../ingest/enrichment/reasons';
import { purity } from '../../ingest/enrichment/reasons/metrics';
import { EN_NEW_TOPIC, EN_TOPICS, plantedTexts } from '../fixtures/reason-topics';

const NOW = new Date('2025-01-01T00:00:00Z');
const { texts, labels } = plantedTexts(EN_TOPICS, 'en');
const { model, assignments } = discoverWithAssignments(texts, { now: NOW });
const realIds = (m: ReasonModel) => m.reasons.filter((r) => r.kind === 'reason').map((r) => r.id);
/** The reason most of a topic's texts went to. */
const topicReason = (topic: string) => {
	const counts = new Map<string, number>();
	assignments.forEach((a, i) => labels[i] === topic && counts.set(a.reasonId, (counts.get(a.reasonId) ?? 0) + 1));
	return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
};

function editError(f: () => unknown): ReasonEditError {
	try {
		f();
	} catch (err) {
		if (err instanceof ReasonEditError) return err;
		throw err;
	}
	throw new Error('expected a ReasonEditError');
}

describe('edit validation', () => {
	it.each([
		['rename an unknown reason', () => renameReason(model, 'r999', 'x'), 'unknown_reason'],
		['rename to blanks', () => renameReason(model, 'r1', '  \t '), 'empty_name'],
		['rename to a novel', () => renameReason(model, 'r1', 'x'.repeat(201)), 'name_too_long'],
		['merge into itself', () => mergeReasons(model, 'r1', 'r1'), 'same_reason'],
		['merge an unknown reason', () => mergeReasons(model, 'nope', 'r1'), 'unknown_reason'],
		['merge into "no text"', () => mergeReasons(model, 'r1', NO_TEXT_REASON_ID), 'reserved_reason'],
		['split "other"', () => splitReason(model, OTHER_REASON_ID, texts), 'reserved_reason'],
		['split an unknown reason', () => splitReason(model, 'r999', texts), 'unknown_reason'],
		['split with too few texts', () => splitReason(model, 'r1', ['refund']), 'too_few_texts'],
		['hide an unknown reason', () => hideReason(model, 'x'), 'unknown_reason'],
		['an unknown stage', () => setReasonStage(model, 'r1', 'checkout'), 'invalid_stage']
	])('%s → %s', (_, f, code) => {
		const err = editError(f);
		expect(err.code).toBe(code);
		expect(err.message.length).toBeGreaterThan(10);
	});
});

describe('edits', () => {
	it('renames, hides and re-stages without touching the input', () => {
		const m = setReasonStage(hideReason(renameReason(model, 'r1', '  Billing  trouble '), 'r1'), 'r1', 'loyalty');
		const r = m.reasons.find((x) => x.id === 'r1')!;
		expect(r).toMatchObject({
			name: 'Billing trouble',
			userNamed: true,
			hidden: true,
			stage: 'loyalty',
			stageGuessed: false
		});
		expect(model.reasons.find((x) => x.id === 'r1')!.userNamed).toBe(false);
	});

	it('merges two reasons into one that takes both their texts', () => {
		const [a, b] = [topicReason('caps'), topicReason('refund')];
		const m = mergeReasons(model, a, b);
		expect(realIds(m)).toHaveLength(realIds(model).length - 1);
		const into = m.reasons.find((r) => r.id === b)!;
		expect(into.mergedIds).toContain(a);
		expect(into.centroids).toHaveLength(2);
		expect(m.reasons.some((r) => r.id === a)).toBe(false);
		expect(into.size).toBe(model.reasons.find((r) => r.id === a)!.size + model.reasons.find((r) => r.id === b)!.size);
		const moved = texts.filter((_, i) => assignments[i]!.reasonId === a);
		expect(moved.filter((t) => assignReason(m, t).reasonId === b).length / moved.length).toBeGreaterThanOrEqual(0.9);
	});

	it('splits a merged reason back into its two parts', () => {
		const [a, b] = [topicReason('caps'), topicReason('refund')];
		const merged = mergeReasons(model, a, b);
		const split = splitReason(merged, b, texts);
		const newId = `r${merged.nextId}`;
		expect(realIds(split)).toContain(newId);
		expect(split.nextId).toBe(merged.nextId + 1);
		expect(split.reasons.find((r) => r.id === newId)!.name).not.toBe('');
		// The texts of the two merged reasons come apart again along the old line.
		const members = texts.flatMap((t, i) =>
			assignments[i]!.reasonId === a || assignments[i]!.reasonId === b ? [i] : []
		);
		const after = members.map((i) => assignReason(split, texts[i]!).reasonId);
		expect(after.filter((id) => id === b || id === newId).length / members.length).toBeGreaterThanOrEqual(0.9);
		expect(
			purity(
				after,
				members.map((i) => assignments[i]!.reasonId)
			)
		).toBeGreaterThanOrEqual(0.9);
	});
});

describe('re-discovery', () => {
	const fresh = plantedTexts(EN_NEW_TOPIC, 'en', 12, 11);
	const edited = hideReason(renameReason(model, topicReason('delivery'), 'Where is my parcel'), topicReason('caps'));
	const { model: next, changes } = rediscover(edited, [...texts, ...fresh.texts], { now: NOW });

	it('keeps every old id, the user name and the hidden flag', () => {
		for (const id of realIds(model)) expect(realIds(next)).toContain(id);
		const named = next.reasons.find((r) => r.id === topicReason('delivery'))!;
		expect(named).toMatchObject({ name: 'Where is my parcel', userNamed: true });
		expect(next.reasons.find((r) => r.id === topicReason('caps'))!.hidden).toBe(true);
		expect(changes.removed).toEqual([]);
	});

	it('keeps the old texts on their old reasons', () => {
		const same = texts.filter((t, i) => assignReason(next, t).reasonId === assignments[i]!.reasonId).length;
		expect(same / texts.length).toBeGreaterThanOrEqual(0.95);
	});

	it('proposes the new topic as a new reason with a new id', () => {
		expect(changes.added.length).toBeGreaterThanOrEqual(1);
		for (const id of changes.added) expect(realIds(model)).not.toContain(id);
		const landed = fresh.texts.filter((t) => changes.added.includes(assignReason(next, t).reasonId)).length;
		expect(landed / fresh.texts.length).toBeGreaterThanOrEqual(0.9);
		expect(next.nextId).toBeGreaterThan(model.nextId);
	});
});

describe('re-discovery after a user merge', () => {
	it('keeps the merged reason whole instead of proposing to split it again', () => {
		const [a, b] = [topicReason('caps'), topicReason('refund')];
		const merged = mergeReasons(model, a, b);
		const { model: next, changes } = rediscover(merged, texts, { now: NOW });
		expect(changes.split.filter((s) => s.from === b)).toEqual([]);
		const members = texts.filter((_, i) => assignments[i]!.reasonId === a || assignments[i]!.reasonId === b);
		const toB = members.filter((t) => assignReason(next, t).reasonId === b).length;
		expect(toB / members.length).toBeGreaterThanOrEqual(0.9);
		expect(next.reasons.find((r) => r.id === b)!.mergedIds).toContain(a);
	});
});
