/**
 * Why this exists: discovered reasons are a starting point that people correct — rename, merge two
 * that are one, split one that is two, hide one, put one on another stage. Each edit is a pure
 * function from model to model, and bad input throws a ReasonEditError with a code and a message
 * a person can act on (the API answers it as a 400).
 */
import { StageSchema } from '../../../schemas/entities';
import { NO_TEXT_REASON_ID, OTHER_REASON_ID, type Reason, type ReasonModel } from '../../../schemas/reasons';
import { assignReason } from './assign';
import { kmeansSparse } from './cluster';
import { termsOf, textWords } from './features';
import { addSurfaceForms, displayTerm, nameOf, telling, type SurfaceForms } from './naming';
import { guessStage } from './stage';
import { tfidfRow, vocabularyOf, type Csr } from './vectorize';

export type ReasonEditErrorCode =
	| 'unknown_reason'
	| 'same_reason'
	| 'reserved_reason'
	| 'empty_name'
	| 'name_too_long'
	| 'invalid_stage'
	| 'too_few_texts'
	| 'not_splittable';

export class ReasonEditError extends Error {
	constructor(
		readonly code: ReasonEditErrorCode,
		message: string
	) {
		super(message);
		this.name = 'ReasonEditError';
	}
}

export const MAX_NAME_LENGTH = 200;
const MAX_PHRASES = 8;
const MAX_EXAMPLES = 5;
const CENTROID_TERMS = 150;

function find(model: ReasonModel, id: string): Reason {
	const r = model.reasons.find((x) => x.id === id);
	if (!r) throw new ReasonEditError('unknown_reason', `There is no reason with id "${id}".`);
	return r;
}

function findDiscovered(model: ReasonModel, id: string, verb: string): Reason {
	const r = find(model, id);
	if (r.id === NO_TEXT_REASON_ID || r.id === OTHER_REASON_ID)
		throw new ReasonEditError('reserved_reason', `The "${r.name}" bucket cannot be ${verb}.`);
	return r;
}

function replace(model: ReasonModel, id: string, change: (r: Reason) => Reason): ReasonModel {
	return { ...model, reasons: model.reasons.map((r) => (r.id === id ? change(r) : r)) };
}

/** Gives a reason a user's name; re-discovery keeps it. */
export function renameReason(model: ReasonModel, id: string, name: string): ReasonModel {
	find(model, id);
	const clean = name.replace(/\s+/g, ' ').trim();
	if (!clean) throw new ReasonEditError('empty_name', 'A reason name cannot be empty.');
	if (clean.length > MAX_NAME_LENGTH)
		throw new ReasonEditError('name_too_long', `A reason name can have at most ${MAX_NAME_LENGTH} characters.`);
	return replace(model, id, (r) => ({ ...r, name: clean, userNamed: true }));
}

/** Hides (or shows again) a reason on the journey map; its texts stay assigned to it. */
export function hideReason(model: ReasonModel, id: string, hidden = true): ReasonModel {
	find(model, id);
	return replace(model, id, (r) => ({ ...r, hidden }));
}

/** Puts a reason on a lifecycle stage of the user's choice. */
export function setReasonStage(model: ReasonModel, id: string, stage: string): ReasonModel {
	find(model, id);
	const parsed = StageSchema.safeParse(stage);
	if (!parsed.success)
		throw new ReasonEditError('invalid_stage', `"${stage}" is not a stage (one of ${StageSchema.options.join(', ')}).`);
	return replace(model, id, (r) => ({ ...r, stage: parsed.data, stageGuessed: false }));
}

function interleave(a: string[], b: string[], limit: number): string[] {
	const out: string[] = [];
	for (let i = 0; out.length < limit && (i < a.length || i < b.length); i++) {
		for (const x of [a[i], b[i]]) if (x !== undefined && !out.includes(x) && out.length < limit) out.push(x);
	}
	return out;
}

/**
 * Merges reason `fromId` into `intoId`: one reason remains, under `intoId`, keeping the centres of
 * both, so every text of either goes to it (an averaged centre would lose some to neighbours).
 */
export function mergeReasons(model: ReasonModel, fromId: string, intoId: string): ReasonModel {
	if (fromId === intoId) throw new ReasonEditError('same_reason', `Cannot merge reason "${fromId}" into itself.`);
	const from = findDiscovered(model, fromId, 'merged');
	const into = findDiscovered(model, intoId, 'merged into');
	const phrases = interleave(into.phrases, from.phrases, MAX_PHRASES);
	const merged: Reason = {
		...into,
		name: into.userNamed ? into.name : nameOf(phrases),
		phrases,
		examples: interleave(into.examples, from.examples, MAX_EXAMPLES),
		size: into.size + from.size,
		centroids: [...into.centroids, ...from.centroids],
		mergedIds: [...new Set([...into.mergedIds, from.id, ...from.mergedIds])]
	};
	return { ...model, reasons: model.reasons.filter((r) => r.id !== fromId).map((r) => (r.id === intoId ? merged : r)) };
}

/**
 * Splits a reason in two by re-clustering its texts: those of `texts` that the model assigns to it
 * (for example a sample of its verbatims from the database), or else its stored examples. The
 * larger part keeps the id, name and stage; the other becomes a new reason (appended, id r<nextId>).
 */
export function splitReason(model: ReasonModel, id: string, texts?: readonly string[]): ReasonModel {
	const reason = findDiscovered(model, id, 'split');
	const members = texts ? texts.filter((t) => assignReason(model, t).reasonId === id) : reason.examples;
	const vocabulary = vocabularyOf(model.vocabulary, model.idf);
	const forms: SurfaceForms = new Map();
	const rows = members
		.map((t) => {
			const w = textWords(t, undefined, model.settings.maxChars);
			addSurfaceForms(forms, w.stems, w.surfaces);
			return { text: t, row: tfidfRow(termsOf(w, model.settings.bigrams), vocabulary) };
		})
		.filter((r) => r.row.idx.length > 0);
	if (rows.length < 4)
		throw new ReasonEditError(
			'too_few_texts',
			`Splitting reason "${id}" needs at least 4 of its texts; ${rows.length} ${texts ? 'were given' : 'are stored as examples'}.`
		);
	const ptr = new Int32Array(rows.length + 1);
	rows.forEach((r, i) => (ptr[i + 1] = ptr[i]! + r.row.idx.length));
	const X: Csr = {
		rows: rows.length,
		cols: vocabulary.terms.length,
		ptr,
		idx: Int32Array.from(rows.flatMap((r) => Array.from(r.row.idx))),
		val: Float64Array.from(rows.flatMap((r) => Array.from(r.row.val)))
	};
	const km = kmeansSparse(X, 2, {
		seed: model.settings.seed,
		restarts: 3,
		maxIterations: 30,
		init: 'kmeans++',
		spherical: true
	});
	const counts = [0, 0];
	for (const l of km.labels) counts[l]!++;
	if (counts[0] === 0 || counts[1] === 0)
		throw new ReasonEditError('not_splittable', `The texts of reason "${id}" are too alike to split in two.`);
	const big = counts[0]! >= counts[1]! ? 0 : 1;
	const phraseIdx = telling(X, km.labels, 2, vocabulary, MAX_PHRASES);
	const part = (c: number) => {
		const dense = km.centroids.subarray(c * X.cols, (c + 1) * X.cols);
		const terms: number[] = [];
		for (let t = 0; t < dense.length; t++) if (dense[t]! > 0) terms.push(t);
		terms.sort((a, b) => dense[b]! - dense[a]! || a - b).splice(CENTROID_TERMS);
		terms.sort((a, b) => a - b);
		const norm = Math.sqrt(terms.reduce((s, t) => s + dense[t]! ** 2, 0)) || 1;
		const phrases = phraseIdx[c]!.map((t) => displayTerm(forms, vocabulary.terms[t]!));
		return {
			phrases: phrases.length ? phrases : reason.phrases,
			examples: rows
				.filter((_, i) => km.labels[i] === c)
				.map((r) => r.text.slice(0, 280))
				.slice(0, MAX_EXAMPLES),
			size: Math.round((reason.size * counts[c]!) / rows.length),
			centroids: [{ terms, weights: terms.map((t) => Math.round((dense[t]! / norm) * 1e5) / 1e5) }]
		};
	};
	const kept = part(big);
	const other = part(1 - big);
	const newId = `r${model.nextId}`;
	const split: Reason = {
		id: newId,
		kind: 'reason',
		name: nameOf(other.phrases),
		userNamed: false,
		hidden: reason.hidden,
		stage: guessStage(other.phrases),
		stageGuessed: true,
		mergedIds: [],
		...other
	};
	const reasons = model.reasons.map((r) =>
		r.id === id ? { ...r, ...kept, name: r.userNamed ? r.name : nameOf(kept.phrases) } : r
	);
	// New reasons go before the reserved buckets, which stay last.
	const at = reasons.findIndex((r) => r.kind !== 'reason');
	reasons.splice(at < 0 ? reasons.length : at, 0, split);
	return { ...model, reasons, nextId: model.nextId + 1 };
}
