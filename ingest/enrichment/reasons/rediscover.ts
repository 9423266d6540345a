/**
 * Why this exists: reasons are renamed, hidden and mapped by people, and stored assignments refer
 * to their ids, so new data must not renumber them. Re-discovery fits afresh — each old reason's
 * cluster starting from the texts the old model gives it, plus room for new ones — then matches each new
 * cluster to an old reason by the texts they share (the old model assigns the same sample) and by
 * the cosine of their centres. A matched cluster takes the old id with its user-given name, hidden
 * flag and stage; what does not match is reported — a new reason, a split of an old one (its texts
 * came mostly from one old reason whose centre is close), an old reason merged into another, or
 * one that no longer occurs. Old reasons a user edited are never dropped silently: with no
 * counterpart they are kept as they were and listed for review.
 */
import type { Reason, ReasonChanges, ReasonModel } from '../../../schemas/reasons';
import { assignWords } from './assign';
import {
	assembleModel,
	assignAll,
	fitTexts,
	newReason,
	resolveOptions,
	withSizes,
	type DiscoverOptions
} from './discover';
import { vocabularyOf } from './vectorize';

/** A pair is the same reason when they share this much of their texts (Jaccard)… */
const MATCH_JACCARD = 0.3;
/** …or, for reasons with few texts in the sample, when their centres are this close. */
const MATCH_COSINE = 0.8;
/** A cluster counts as a split (or an old reason as merged) only with centres at least this close. */
const RELATED_COSINE = 0.3;

function termWeights(model: { vocabulary: string[] }, c: Reason['centroids'][number]): Map<string, number> {
	const m = new Map<string, number>();
	c.terms.forEach((t, i) => m.set(model.vocabulary[t]!, c.weights[i]!));
	return m;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
	let s = 0;
	for (const [t, w] of a) s += w * (b.get(t) ?? 0);
	return s;
}

function edited(r: Reason): boolean {
	return r.userNamed || r.hidden || !r.stageGuessed;
}

export function rediscover(
	previous: ReasonModel,
	texts: readonly string[],
	options?: DiscoverOptions
): { model: ReasonModel; changes: ReasonChanges } {
	const o = resolveOptions({
		seed: previous.settings.seed,
		bigrams: previous.settings.bigrams,
		maxChars: previous.settings.maxChars,
		minScore: previous.settings.minScore,
		...options
	});
	const { sample, words, fit } = fitTexts(texts, o, previous);
	const oldReasons = previous.reasons.filter((r) => r.kind === 'reason');
	const K = fit.reasons.length;
	// Shared texts: old assignment × new cluster, over the fitted sample.
	const oldIndex = new Map(oldReasons.map((r, i) => [r.id, i]));
	const shared = oldReasons.map(() => new Int32Array(K));
	const oldSize = new Int32Array(oldReasons.length);
	const newSize = new Int32Array(K);
	words.forEach((w, s) => {
		const i = oldIndex.get(assignWords(previous, w).reasonId);
		const j = fit.labels[s]!;
		if (i !== undefined) oldSize[i]!++;
		if (j >= 0) newSize[j]!++;
		if (i !== undefined && j >= 0) shared[i]![j]!++;
	});
	const newTerms = fit.reasons.map((r) => termWeights({ vocabulary: fit.vocabulary.terms }, r.centroid));
	const oldTerms = oldReasons.map((r) => r.centroids.map((c) => termWeights(previous, c)));
	// A reason with several centres (a user merge) is as close as its closest centre.
	const cos = oldTerms.map((parts) => newTerms.map((b) => Math.max(0, ...parts.map((a) => cosine(a, b)))));
	const pairs: { i: number; j: number; jaccard: number; cosine: number }[] = [];
	oldReasons.forEach((_, i) => {
		for (let j = 0; j < K; j++) {
			const c = shared[i]![j]!;
			const jaccard = c / Math.max(1, oldSize[i]! + newSize[j]! - c);
			if (jaccard >= MATCH_JACCARD || cos[i]![j]! >= MATCH_COSINE) pairs.push({ i, j, jaccard, cosine: cos[i]![j]! });
		}
	});
	pairs.sort((a, b) => b.jaccard + b.cosine - (a.jaccard + a.cosine) || a.i - b.i || a.j - b.j);
	const oldToNew = new Int32Array(oldReasons.length).fill(-1);
	const newToOld = new Int32Array(K).fill(-1);
	const changes: ReasonChanges = { kept: [], added: [], split: [], merged: [], removed: [], retained: [] };
	for (const p of pairs) {
		if (oldToNew[p.i]! >= 0 || newToOld[p.j]! >= 0) continue;
		oldToNew[p.i] = p.j;
		newToOld[p.j] = p.i;
	}
	// An unmatched cluster whose texts mostly came from a reason a user merged belongs to that
	// reason (the user said its parts are one), as one more centre — not a split proposal.
	const joins = new Int32Array(K).fill(-1);
	for (let j = 0; j < K; j++) {
		if (newToOld[j]! >= 0) continue;
		const source = dominant(
			oldReasons.map((_, i) => shared[i]![j]!),
			newSize[j]!
		);
		if (source >= 0 && oldToNew[source]! >= 0 && oldReasons[source]!.mergedIds.length > 0) joins[j] = source;
	}
	let nextId = previous.nextId;
	const ids = Array.from({ length: K }, (_, j) =>
		newToOld[j]! >= 0 ? oldReasons[newToOld[j]!]!.id : joins[j]! >= 0 ? oldReasons[joins[j]!]!.id : `r${nextId++}`
	);
	const reasons: Reason[] = [];
	const byId = new Map<string, Reason>();
	// Old reasons first, in their order, so lists a user knows stay in place.
	oldReasons.forEach((old, i) => {
		const j = oldToNew[i]!;
		if (j < 0) return;
		const fresh = newReason(old.id, fit.reasons[j]!);
		const r: Reason = {
			...fresh,
			name: old.userNamed ? old.name : fresh.name,
			userNamed: old.userNamed,
			hidden: old.hidden,
			stage: old.stage,
			stageGuessed: old.stageGuessed,
			mergedIds: old.mergedIds,
			centroids: [...fresh.centroids, ...fit.reasons.flatMap((x, jj) => (joins[jj] === i ? [x.centroid] : []))]
		};
		reasons.push(r);
		byId.set(r.id, r);
		const c = shared[i]![j]!;
		changes.kept.push({ id: old.id, similarity: round(c / Math.max(1, oldSize[i]! + newSize[j]! - c)) });
	});
	// New clusters: a split when most of its texts came from one old reason with a related centre.
	const order = [...Array(K).keys()]
		.filter((j) => newToOld[j]! < 0 && joins[j]! < 0)
		.sort((a, b) => newSize[b]! - newSize[a]! || a - b);
	for (const j of order) {
		const r = newReason(ids[j]!, fit.reasons[j]!);
		reasons.push(r);
		byId.set(r.id, r);
		const source = dominant(
			oldReasons.map((_, i) => shared[i]![j]!),
			newSize[j]!
		);
		if (source >= 0 && oldToNew[source]! >= 0 && cos[source]![j]! >= RELATED_COSINE) {
			const from = oldReasons[source]!.id;
			const entry = changes.split.find((s) => s.from === from);
			if (entry) entry.into.push(r.id);
			else changes.split.push({ from, into: [from, r.id] });
		} else changes.added.push(r.id);
	}
	// Old reasons without a cluster: merged when most of their texts went to a related cluster.
	const extraTerms: string[] = [];
	const extraIdf: number[] = [];
	oldReasons.forEach((old, i) => {
		if (oldToNew[i]! >= 0) return;
		const target = dominant(Array.from(shared[i]!), oldSize[i]!);
		if (target >= 0 && cos[i]![target]! >= RELATED_COSINE) {
			const into = ids[target]!;
			const entry = changes.merged.find((m) => m.into === into);
			if (entry) entry.from.push(old.id);
			else changes.merged.push({ from: [old.id], into });
			if (!edited(old)) {
				const r = byId.get(into)!;
				r.mergedIds = [...new Set([...r.mergedIds, old.id, ...old.mergedIds])];
				return;
			}
		} else if (!edited(old)) {
			changes.removed.push(old.id);
			return;
		}
		// A user's work is not thrown away: keep the reason with its old centres, for review.
		changes.retained.push(old.id);
		const index = new Map(fit.vocabulary.terms.map((t, k) => [t, k]));
		const remap = (c: Reason['centroids'][number]) => {
			const terms: number[] = [];
			const weights: number[] = [];
			c.terms.forEach((t, p) => {
				const term = previous.vocabulary[t]!;
				let k = index.get(term);
				if (k === undefined) {
					k = fit.vocabulary.terms.length + extraTerms.indexOf(term);
					if (k < fit.vocabulary.terms.length) {
						k = fit.vocabulary.terms.length + extraTerms.length;
						extraTerms.push(term);
						extraIdf.push(previous.idf[t]!);
					}
				}
				terms.push(k);
				weights.push(c.weights[p]!);
			});
			const order = terms.map((_, p) => p).sort((a, b) => terms[a]! - terms[b]!);
			return { terms: order.map((p) => terms[p]!), weights: order.map((p) => weights[p]!) };
		};
		reasons.push({ ...old, centroids: old.centroids.map(remap) });
	});
	const vocabulary = vocabularyOf([...fit.vocabulary.terms, ...extraTerms], [...fit.vocabulary.idf, ...extraIdf]);
	let model = assembleModel(vocabulary, reasons, nextId, texts.length, o);
	// The reserved buckets keep what a user set on them.
	model = {
		...model,
		reasons: model.reasons.map((r) => {
			const old = r.kind === 'reason' ? undefined : previous.reasons.find((p) => p.id === r.id);
			return old
				? {
						...r,
						name: old.name,
						userNamed: old.userNamed,
						hidden: old.hidden,
						stage: old.stage,
						stageGuessed: old.stageGuessed
					}
				: r;
		})
	};
	return { model: withSizes(model, assignAll(model, texts, o, sample, words)), changes };
}

/** The index holding more than half of `total`, or −1. */
function dominant(counts: ArrayLike<number>, total: number): number {
	for (let i = 0; i < counts.length; i++) if (counts[i]! * 2 > total) return i;
	return -1;
}

function round(x: number): number {
	return Math.round(x * 1000) / 1000;
}
