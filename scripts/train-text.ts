/**
 * Why this exists: `npm run train:text` — rebuilds the committed text models under models/ from the
 * public labelled data sets (../shared/datasets), never from the held-out parts (see
 * ingest/text/datasets.ts). Deterministic: the same data gives the same files. After a model change,
 * `npm run enrich -- --since DATE` re-scores stored interactions.
 */
import { mkdirSync } from 'node:fs';
import { fold, modelsDir, prepare } from '../ingest/text/analyze';
import { bitext, haveDatasets, sst2, uci, zhSentiment, ZH_SETS, datasetsDir } from '../ingest/text/datasets';
import { BITEXT_TO_INTENT, INTENTS, OTHER, OWN_EXAMPLES, OWN_SENTIMENT_EN } from '../ingest/text/intents-data';
import { saveModel, train, logits, type LinearModel } from '../ingest/text/linear';
import type { SparseVector } from '../ingest/text/features';

// Hash width of the sentiment models (2^18 weights, 1 MB each); TOUCHMAP_SENTIMENT_BITS to experiment
// (2^17 measured SST-2 0.843 / UCI 0.878, 2^18 0.841 / 0.897 at the same speed).
const SENTIMENT_BITS = Number(process.env.TOUCHMAP_SENTIMENT_BITS ?? 18);
const INTENT_BITS = 14;

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

	// English sentiment: SST-2 train (phrases and sentences) + the UCI training part + our own
	// customer-service examples (repeated: a few dozen next to 70,000 film phrases).
	const s = sst2();
	const enTrain = [...s.train, ...uci().train, ...OWN_SENTIMENT_EN.flatMap((e) => Array<typeof e>(10).fill(e))];
	const enX = enTrain.map((r) => fold(prepare(r.text, 'en').features, SENTIMENT_BITS));
	const en = train(
		{
			name: 'sentiment-en',
			bits: SENTIMENT_BITS,
			classes: ['negative', 'positive'],
			trainedOn: ['sst2/train', 'uci (4 of 5)', 'ingest/text/intents-data.ts OWN_SENTIMENT_EN']
		},
		enX,
		enTrain.map((r) => r.label),
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
	saveModel(en, `${dir}/sentiment-en`);

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
