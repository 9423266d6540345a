/**
 * Why this exists: `npm run eval:reasons` — how well contact-reason discovery recovers the labels
 * of public labelled sets it never sees (labels only score), against a plain TF-IDF + k-means
 * baseline with the same number of clusters, computed in the same run. Each set is split by a
 * seeded shuffle into a tuning half (all options were chosen on it: `-- --tune` prints that grid)
 * and a held-out half, on which discovery runs afresh (discovery is per deployment) and every
 * figure below is measured.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { NO_TEXT_REASON_ID, OTHER_REASON_ID } from '../schemas/reasons';
import { assignReason } from '../ingest/enrichment/reasons/assign';
import { kmeansSparse, seededRandom, shuffledIndices } from '../ingest/enrichment/reasons/cluster';
import { datasetsDir } from '../ingest/enrichment/text/datasets';
import { detectLanguage } from '../ingest/enrichment/text/language';
import { labelledSets, type LabelledTexts } from '../ingest/enrichment/reasons/datasets';
import {
	DEFAULT_OPTIONS,
	discoverWithAssignments,
	resolveOptions,
	type DiscoverOptions
} from '../ingest/enrichment/reasons/discover';
import { termsOf, textWords } from '../ingest/enrichment/reasons/features';
import { largestLabelsFound, nmi, purity } from '../ingest/enrichment/reasons/metrics';
import { buildVocabulary, tfidfMatrix } from '../ingest/enrichment/reasons/vectorize';

const SPLIT_SEED = 20_240_601;
const RESERVED = new Set<string>([NO_TEXT_REASON_ID, OTHER_REASON_ID]);

function halves(set: LabelledTexts) {
	const order = shuffledIndices(set.texts.length, seededRandom(SPLIT_SEED));
	const half = Math.floor(order.length / 2);
	const part = (ix: Int32Array) => ({
		texts: Array.from(ix, (i) => set.texts[i]!),
		labels: Array.from(ix, (i) => set.labels[i]!)
	});
	return { tuning: part(order.subarray(0, half)), heldOut: part(order.subarray(half)) };
}

/** Plain baseline: same words and TF-IDF, Euclidean k-means from random texts, one run, no LSA. */
function baseline(texts: string[], k: number, seed: number): Int32Array {
	const o = resolveOptions();
	const docs = texts.map((t) => termsOf(textWords(t, undefined, o.maxChars), o.bigrams));
	const v = buildVocabulary(
		docs.filter((d) => d.length),
		{ minDf: o.minDf, maxDf: o.maxDf, maxTerms: o.maxTerms }
	);
	return kmeansSparse(tfidfMatrix(docs, v), k, {
		seed,
		restarts: 1,
		maxIterations: 100,
		init: 'random',
		spherical: false
	}).labels;
}

interface Scores {
	reasons: number;
	coverage: number;
	nmi: number;
	purity: number;
	top5: number;
	missing: string[];
	baselineNmi: number;
	baselinePurity: number;
	baselineTop5: number;
	discoverSeconds: number;
	discoverCpuSeconds: number;
	assignMicros: number;
}

function score(part: { texts: string[]; labels: string[] }, options: DiscoverOptions, withBaseline: boolean): Scores {
	const t0 = performance.now();
	const c0 = process.cpuUsage();
	const { model, assignments } = discoverWithAssignments(part.texts, options);
	const discoverSeconds = (performance.now() - t0) / 1000;
	const discoverCpuSeconds = cpuMicros(c0) / 1e6;
	const ids = assignments.map((a) => a.reasonId);
	const real = model.reasons.filter((r) => r.kind === 'reason').length;
	const found = largestLabelsFound(ids, part.labels, 5, RESERVED);
	// Assignment speed as ingest pays it: the text enricher has detected the language before. The
	// model is compiled on first use, so one warm-up pass; CPU time, as the machine may be shared.
	const languages = part.texts.map((t) => detectLanguage(t));
	part.texts.forEach((t, i) => assignReason(model, t, languages[i]));
	const c1 = process.cpuUsage();
	part.texts.forEach((t, i) => assignReason(model, t, languages[i]));
	const assignMicros = cpuMicros(c1) / part.texts.length;
	const base = withBaseline ? baseline(part.texts, real, resolveOptions(options).seed) : new Int32Array();
	return {
		reasons: real,
		coverage: ids.filter((id) => !RESERVED.has(id)).length / ids.length,
		nmi: nmi(ids, part.labels),
		purity: purity(ids, part.labels),
		top5: found.filter((f) => f.found).length,
		missing: found.filter((f) => !f.found).map((f) => f.label),
		baselineNmi: withBaseline ? nmi(Array.from(base), part.labels) : NaN,
		baselinePurity: withBaseline ? purity(Array.from(base), part.labels) : NaN,
		baselineTop5: withBaseline
			? largestLabelsFound(Array.from(base), part.labels, 5).filter((f) => f.found).length
			: NaN,
		discoverSeconds,
		discoverCpuSeconds,
		assignMicros
	};
}

const f3 = (x: number) => x.toFixed(3);
const cpuMicros = (since: NodeJS.CpuUsage) => {
	const u = process.cpuUsage(since);
	return u.user + u.system;
};
const pct = (x: number) => (x * 100).toFixed(1) + '%';

/** Options compared on the tuning halves; the first is the default. */
const GRID: [string, DiscoverOptions][] = [
	['default: LSA 50 + spherical k-means, k = 0.7·√n', {}],
	['spherical k-means++ on TF-IDF rows (no LSA)', { method: 'tfidf' }],
	['LSA 100', { dims: 100 }],
	['LSA 200', { dims: 200 }],
	['k = 0.5·√n', { kScale: 0.5 }],
	['k = 1.0·√n', { kScale: 1 }],
	['no merge of near-duplicate centres', { mergeThreshold: 1 }],
	['merge centres at cosine 0.5', { mergeThreshold: 0.5 }],
	['no bigrams', { bigrams: false }],
	['1 k-means run instead of 3', { restarts: 1 }],
	['centres cut to 400 terms', { centroidTerms: 400 }],
	['read 600 characters', { maxChars: 600 }],
	['read 1500 characters', { maxChars: 1500 }]
];

function main() {
	const { values } = parseArgs({ options: { tune: { type: 'boolean', default: false } } });
	const sets = labelledSets();
	console.log(`datasets: ${datasetsDir()}`);
	console.log(
		`split: seeded shuffle (seed ${SPLIT_SEED}) of each set; ${values.tune ? 'TUNING half (first 50%)' : 'HELD-OUT half (second 50%) — options were chosen on the other half'}`
	);
	console.log(
		`options: ${JSON.stringify({ ...DEFAULT_OPTIONS, kScale: Number(DEFAULT_OPTIONS.kScale.toFixed(3)) })}\n`
	);
	if (values.tune) {
		const available = sets.filter((s) => s.set);
		for (const [label, opts] of GRID) {
			const cells = available.map(({ set }) => {
				const s = score(halves(set!).tuning, opts, false);
				return `${f3(s.nmi)} (${s.reasons}, ${s.top5}/5, ${pct(s.coverage)})`;
			});
			console.log(`${label.padEnd(58)} ${cells.join('  ')}`);
		}
		console.log(
			`\ncolumns: ${available.map((s) => s.name).join(', ')}; cell: NMI (reasons, top-5 labels found, coverage)`
		);
		return;
	}
	const verdicts: string[] = [];
	for (const { name, file, set } of sets) {
		if (!set) {
			console.log(`${name}: skipped — ${file} not found under ${datasetsDir()}`);
			continue;
		}
		const { heldOut } = halves(set);
		const labels = new Set(heldOut.labels).size;
		const s = score(heldOut, {}, true);
		const met = s.coverage >= 0.95 && s.nmi > s.baselineNmi && s.top5 === 5;
		verdicts.push(`${name} ${met ? 'met' : 'NOT met'}`);
		console.log(`${name} (${file}), held-out half: n = ${heldOut.texts.length}, ${labels} labels`);
		console.log(`  reasons found        ${s.reasons}`);
		console.log(`  coverage             ${pct(s.coverage)}`);
		console.log(`  NMI / purity         ${f3(s.nmi)} / ${f3(s.purity)}`);
		console.log(
			`  baseline NMI/purity  ${f3(s.baselineNmi)} / ${f3(s.baselinePurity)}  (TF-IDF + k-means, k = ${s.reasons})`
		);
		console.log(
			`  5 largest labels     ${s.top5}/5 are a reason's majority label (baseline ${s.baselineTop5}/5)` +
				(s.missing.length ? `; missing: ${s.missing.join(' | ')}` : '')
		);
		console.log(
			`  discovery            ${s.discoverSeconds.toFixed(2)} s wall, ${s.discoverCpuSeconds.toFixed(2)} s CPU`
		);
		console.log(`  assignment           ${s.assignMicros.toFixed(1)} µs/text at ingest (CPU, one core)\n`);
	}
	console.log(`targets (coverage ≥ 95%, NMI above the baseline, 5/5 largest labels): ${verdicts.join('; ')}`);
}

main();
