/**
 * Why this exists: `npm run train:text` — rebuilds the committed text models under models/ from the
 * public labelled data sets (../shared/datasets), never from the held-out parts (see
 * ingest/enrichment/text/datasets.ts). Deterministic: the same data gives the same files. After a
 * model change, `npm run enrich -- --since DATE` re-scores stored interactions.
 *
 * Order: the two-class English n-gram model (`sentiment-en`, an input of the English stack), then
 * the three-class sentiment models (scripts/train-text-three.ts), then intents.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fold, modelsDir, prepare } from '../ingest/enrichment/text/analyze';
import { bitext, haveDatasets, sst2, uci, datasetsDir } from '../ingest/enrichment/text/datasets';
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
import { fitLogistic } from '../src/lib/server/logistic';
import { trainChineseThree, trainEnglishThree } from './train-text-three';

// Hash width of the sentiment models (2^18 weights, 1 MB each): 2^17 did worse on the UCI held-out
// sentences at the same speed. TOUCHMAP_SENTIMENT_BITS to experiment.
const SENTIMENT_BITS = Number(process.env.TOUCHMAP_SENTIMENT_BITS ?? 18);
const INTENT_BITS = 14;
/** Files of models no longer trained (the networks before the three-class models): removed. */
const RETIRED = [
	'sentiment-en-cnn',
	'sentiment-en-dan',
	'sentiment-en-lstm',
	'sentiment-en-neighbours',
	'sentiment-zh'
];

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

function main() {
	if (!haveDatasets()) {
		console.error(`train:text: no data sets at ${datasetsDir()} (set TOUCHMAP_DATASETS_DIR)`);
		process.exit(2);
	}
	const dir = modelsDir();
	mkdirSync(dir, { recursive: true });
	const t0 = Date.now();
	for (const f of readdirSync(dir))
		if (RETIRED.some((r) => f === `${r}.json` || f === `${r}.bin`)) rmSync(join(dir, f));

	// English two-class n-grams: SST-2 train (phrases and sentences) + the UCI training part + our
	// own customer-service examples (repeated: a few dozen next to 70,000 film phrases).
	const s = sst2();
	const enTrain = [...s.train, ...uci().train, ...OWN_SENTIMENT_EN.flatMap((e) => Array<typeof e>(10).fill(e))];
	const enX = enTrain.map((r) => fold(prepare(r.text, 'en').features, SENTIMENT_BITS));
	const enY = enTrain.map((r) => r.label);
	const header = {
		name: 'sentiment-en',
		bits: SENTIMENT_BITS,
		classes: ['negative', 'positive'],
		trainedOn: ['sst2/train', 'uci (4 of 5)', 'ingest/text/intents-data.ts OWN_SENTIMENT_EN']
	};
	const en = train(header, enX, enY, { epochs: 8, rate: 1, l2: 3e-5 });
	const dev = s.dev.map((r) => prepare(r.text, 'en').features);
	const devY = s.dev.map((r) => r.label);
	// A second n-gram model on naive-Bayes-scaled features (NBSVM), blended into the same weights.
	const ratios = nbRatios(enX, enY, SENTIMENT_BITS);
	const nb = unscale(
		train(
			{ ...header, name: 'sentiment-en-nb' },
			enX.map((x) => scaleFeatures(x, ratios)),
			enY,
			{ epochs: 8, rate: 0.3, l2: 3e-5 }
		),
		ratios
	);
	const [a0, aEn, aNb] = stackLogits(
		[dev.map((x) => logits(en, fold(x, en.bits))[0]!), dev.map((x) => logits(nb, fold(x, nb.bits))[0]!)],
		devY
	);
	const ngram = blend(
		[
			[en, aEn!],
			[nb, aNb!]
		],
		{
			...header,
			trainedOn: [...header.trainedOn, `${r3(aEn!)} × this + ${r3(aNb!)} × the NB-scaled model (NBSVM) + ${r3(a0!)}`]
		}
	);
	ngram.bias[0]! += a0!;
	saveModel(ngram, `${dir}/sentiment-en`);
	console.log(
		`sentiment-en: ${enTrain.length} texts; SST-2 dev accuracy ${accuracy(en, dev, devY).toFixed(3)} alone, NBSVM ${accuracy(nb, dev, devY).toFixed(3)}, blended ${accuracy(ngram, dev, devY).toFixed(3)}`
	);

	// Three-class sentiment: the English stack (TweetEval + reviews), the Chinese softmax.
	const stack = trainEnglishThree(dir, false);
	trainChineseThree(dir, stack.complaintPrior);

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
