import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeText, loadModels, type Models } from '../../ingest/enrichment/text/analyze';
import { cnnIds, cnnLogit, loadCnn, pruneCnn, saveCnn, trainCnn } from '../../ingest/enrichment/text/cnn';
import { cloneDan, danLogit, loadDan, lookup, saveDan, trainDan } from '../../ingest/enrichment/text/embedding';
import { lstmIds, lstmLogit, type LstmModel } from '../../ingest/enrichment/text/lstm';
import { nearestWords, withNeighbours, type Neighbours } from '../../ingest/enrichment/text/neighbours';
import { blend, logits, nbRatios, scaleFeatures, train, unscale } from '../../ingest/enrichment/text/linear';
import { tokenizeEnglish } from '../../ingest/enrichment/text/tokenize';

// A toy vocabulary with 4-d "pretrained" vectors: good/great close together, bad/awful together.
const vocab = ['good', 'great', 'bad', 'awful', 'film', 'not', 'the', '.'];
const vec: Record<string, number[]> = {
	good: [1, 0.2, 0, 0],
	great: [0.9, 0.3, 0, 0],
	bad: [-1, 0.1, 0, 0],
	awful: [-0.9, 0.2, 0, 0],
	film: [0, 0, 1, 0],
	not: [0, 0, 0, 1],
	the: [0, 0, 0.3, 0.3],
	'.': [0, 0, 0, 0]
};
const vectors = Float32Array.from(vocab.flatMap((w) => vec[w]!));
const data = [
	['good film .', 1],
	['the film not bad', 1],
	['bad film', 0],
	['not good', 0],
	['the good', 1],
	['the bad', 0],
	['film not good .', 0],
	['not bad', 1]
].flatMap(([t, label]) =>
	Array.from({ length: 20 }, () => ({ tokens: tokenizeEnglish(t as string), label: label as number }))
);
const model = trainCnn({ name: 'toy', trainedOn: ['toy'], vectors: 'toy' }, vocab, vectors, 4, data, {
	widths: [1, 2],
	filters: 8,
	epochs: 30,
	rate: 0.02,
	embRate: 0.05,
	dropout: 0.1,
	batch: 4
});
const dir = mkdtempSync(join(tmpdir(), 'cnn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The models committed in models/: a missing one fails the test (rebuild with npm run train:text). */
function committedModels<K extends 'sentimentCnn' | 'sentimentDan' | 'sentimentLstm'>(...names: K[]) {
	const models = loadModels();
	for (const n of names) expect(models[n], `models/ lacks ${n}: run npm run train:text`).toBeDefined();
	return models as Models & Required<Pick<Models, K>>;
}

describe('sentiment network over word vectors', () => {
	it('looks words up without the negation mark and leaves unknown words out', () => {
		const ids = cnnIds(model.index, ['not', '!good', 'zzzunknown', 'film']);
		expect(Array.from(ids)).toEqual([vocab.indexOf('not'), vocab.indexOf('good'), -1, vocab.indexOf('film')]);
	});
	it('scores empty and all-unknown texts without failing', () => {
		expect(cnnLogit(model, [])).toBe(0);
		expect(Number.isFinite(cnnLogit(model, ['qwerty', 'asdf']))).toBe(true);
	});
	it('learns the toy data, and generalises to a synonym through its vector', () => {
		expect(cnnLogit(model, tokenizeEnglish('good film'))).toBeGreaterThan(0);
		expect(cnnLogit(model, tokenizeEnglish('bad film'))).toBeLessThan(0);
		// "great" and "awful" never occur in training: their pretrained vectors carry them.
		expect(cnnLogit(model, tokenizeEnglish('great film'))).toBeGreaterThan(
			cnnLogit(model, tokenizeEnglish('awful film'))
		);
	});
	it('reads word order: "not bad" is above "bad"', () => {
		expect(cnnLogit(model, tokenizeEnglish('not bad'))).toBeGreaterThan(cnnLogit(model, tokenizeEnglish('bad')));
	});
	it('saves and loads (int8 table) with nearly the same scores', () => {
		saveCnn(model, join(dir, 'toy'));
		const back = loadCnn(join(dir, 'toy'));
		expect(back.vocab).toEqual(vocab);
		for (const t of ['good film .', 'the film not bad', 'awful', 'great film'])
			expect(cnnLogit(back, tokenizeEnglish(t))).toBeCloseTo(cnnLogit(model, tokenizeEnglish(t)), 1);
	});
	it('prunes the vocabulary (dropped words become unknown)', () => {
		const small = pruneCnn(model, [0, 4]);
		expect(small.vocab).toEqual(['good', 'film']);
		expect(cnnLogit(small, ['good', 'film'])).toBeCloseTo(cnnLogit(model, ['good', 'film']), 5);
		expect(cnnLogit(small, ['bad'])).toBe(cnnLogit(model, ['zzz']));
	});
});

describe('English sentiment with the committed network', () => {
	it('is loaded with the n-gram model and changes the scores', () => {
		const models = committedModels('sentimentCnn', 'sentimentDan');
		expect(models.sentimentCnn.ensembleWeight).toBeGreaterThanOrEqual(0);
		const texts = ['an ordinary film', 'the plot is thin but the actors are charming', 'it was fine, I guess'];
		const plain = { ...models, sentimentCnn: undefined, sentimentDan: undefined };
		expect(texts.some((t) => analyzeText(t, plain).sentiment !== analyzeText(t, models).sentiment)).toBe(true);
		expect(analyzeText('a gorgeous, witty, seductive movie', models).label).toBe('positive');
		expect(analyzeText('a dull, lifeless and overlong mess', models).label).toBe('negative');
	});
	it('ignores casing', () => {
		expect(analyzeText('This film is GREAT, NOT BAD at all').sentiment).toBe(
			analyzeText('this film is great, not bad at all').sentiment
		);
	});
});

describe('deep-averaging network over word vectors', () => {
	const dan = trainDan({ name: 'toy', trainedOn: ['toy'], vectors: 'toy' }, vocab, vectors, 4, data, {
		hidden: [8],
		epochs: 20,
		rate: 0.01,
		embRate: 0.05,
		wordDropout: 0,
		batch: 4
	});
	it('splits plain and negated words, leaving unknown words out', () => {
		expect(lookup(dan, ['good', '!bad', 'zzz', 'GOOD'])).toEqual({
			plain: [vocab.indexOf('good')],
			negated: [vocab.indexOf('bad')]
		});
		expect(danLogit(dan, ['zzz'])).toBe(0);
		expect(danLogit(dan, [])).toBe(0);
	});
	it('learns the toy data and reads the negation scope', () => {
		expect(danLogit(dan, tokenizeEnglish('good film'))).toBeGreaterThan(0);
		expect(danLogit(dan, tokenizeEnglish('bad film'))).toBeLessThan(0);
		expect(danLogit(dan, tokenizeEnglish('not bad'))).toBeGreaterThan(danLogit(dan, tokenizeEnglish('bad')));
	});
	it('clones, saves and loads with nearly the same scores', () => {
		const copy = cloneDan(dan);
		copy.emb.fill(0);
		expect(danLogit(dan, ['good'])).not.toBe(danLogit(copy, ['good']));
		saveDan(dan, join(dir, 'dan'));
		const back = loadDan(join(dir, 'dan'));
		for (const t of ['good film .', 'not bad', 'awful'])
			expect(danLogit(back, tokenizeEnglish(t))).toBeCloseTo(danLogit(dan, tokenizeEnglish(t)), 1);
	});
});

describe('naive-Bayes-scaled n-grams (NBSVM)', () => {
	const x = (idx: number[]) => ({ idx: Int32Array.from(idx), val: new Float32Array(idx.length).fill(1) });
	const xs = [x([1, 2]), x([1, 3]), x([4, 2]), x([4, 3])];
	const y = [1, 1, 0, 0];
	it('gives positive ratios to positive features and ~0 to neutral ones', () => {
		const r = nbRatios(xs, y, 3);
		expect(r[1]).toBeGreaterThan(0);
		expect(r[4]).toBeLessThan(0);
		expect(r[2]).toBeCloseTo(0, 5);
		expect(Array.from(scaleFeatures(x([1, 4]), r).val)).toEqual([r[1], r[4]]);
	});
	it('folds back into plain weights and blends models into one', () => {
		const header = { name: 't', bits: 3, classes: ['negative', 'positive'], trainedOn: [] };
		const r = nbRatios(xs, y, 3);
		const scaled = train(
			header,
			xs.map((v) => scaleFeatures(v, r)),
			y,
			{ epochs: 20 }
		);
		const plain = unscale(scaled, r);
		for (const v of xs) expect(logits(plain, v)[0]).toBeCloseTo(logits(scaled, scaleFeatures(v, r))[0]!, 4);
		const other = train(header, xs, y, { epochs: 20 });
		const both = blend(
			[
				[other, 1],
				[plain, 0.5]
			],
			header
		);
		for (const v of xs) expect(logits(both, v)[0]).toBeCloseTo(logits(other, v)[0]! + 0.5 * logits(plain, v)[0]!, 4);
	});
});

describe('BiLSTM over word vectors (scorer of the PyTorch-trained network)', () => {
	// H = 1, dim = 1, two words: small enough to work out by hand.
	const toy = (): LstmModel => ({
		name: 'toy',
		hidden: 1,
		dim: 1,
		vectors: 'toy',
		vocabSize: 2,
		trainedOn: [],
		trainedAt: '',
		combine: [0, 1, 1],
		cascade: 1,
		reference: [],
		// Every gate reads the input with weight 1 and nothing from the state (W_hh = 0).
		dirs: [
			{ wih: Float32Array.of(1, 1, 1, 1), whh: new Float32Array(4), b: new Float32Array(4) },
			{ wih: Float32Array.of(1, 1, 1, 1), whh: new Float32Array(4), b: new Float32Array(4) }
		],
		out: Float32Array.of(1, 0, 0, 0), // forward max-pool only
		outBias: 0.5,
		emb: Float32Array.of(1, -1),
		proj: new Map()
	});
	const words = {
		index: new Map([
			['up', 0],
			['down', 1]
		])
	};
	const sig = (x: number) => 1 / (1 + Math.exp(-x));
	const h1 = (x: number) => sig(x) * Math.tanh(sig(x) * Math.tanh(x)); // one step from zero state

	it('works out one step as an LSTM does (gates i, f, g, o; max-pooled)', () => {
		expect(lstmLogit(toy(), words, ['up'])).toBeCloseTo(0.5 + h1(1), 6);
		// Two words: the cell carries over through the forget gate; the max over the forward states.
		const c1 = sig(-1) * Math.tanh(-1);
		const c2 = sig(1) * c1 + sig(1) * Math.tanh(1);
		const expected = 0.5 + Math.max(sig(-1) * Math.tanh(c1), sig(1) * Math.tanh(c2));
		expect(lstmLogit(toy(), words, ['down', 'up'])).toBeCloseTo(expected, 6);
	});
	it('drops negation marks and unknown words; scores nothing as 0', () => {
		expect(lstmIds(words, ['!up', 'zzz', 'down'])).toEqual([0, 1]);
		expect(lstmLogit(toy(), words, [])).toBe(0);
		expect(lstmLogit(toy(), words, ['zzz'])).toBe(0);
	});
	it('reproduces the logits PyTorch gave the committed model', () => {
		const models = committedModels('sentimentLstm', 'sentimentDan');
		const lstm = models.sentimentLstm;
		expect(lstm.reference.length).toBeGreaterThan(0);
		for (const r of lstm.reference) expect(lstmLogit(lstm, models.sentimentDan, r.tokens)).toBeCloseTo(r.logit, 3);
	});
	it('joins the ensemble only for texts the other models are unsure of', () => {
		const models = committedModels('sentimentLstm');
		const never = { ...models, sentimentLstm: { ...models.sentimentLstm, cascade: 0 } };
		const without = { ...models, sentimentLstm: undefined };
		const always = { ...models, sentimentLstm: { ...models.sentimentLstm, cascade: Infinity } };
		const texts = ['an ordinary film', 'the plot is thin but the actors are charming', 'not as bad as I feared'];
		for (const t of texts) expect(analyzeText(t, never).sentiment).toBe(analyzeText(t, without).sentiment);
		expect(texts.some((t) => analyzeText(t, always).sentiment !== analyzeText(t, without).sentiment)).toBe(true);
		// A text the others are sure of is left alone.
		const sure = 'a gorgeous, witty, seductive movie';
		expect(analyzeText(sure, models).sentiment).toBe(analyzeText(sure, without).sentiment);
	});
	it('computes each network once for texts that differ only in words it does not know', () => {
		const loaded = committedModels('sentimentLstm');
		const models = { ...loaded, memo: { cnn: new Map(), dan: new Map(), lstm: new Map() } };
		const unmemoised = { ...loaded, memo: undefined };
		const texts = [4711, 58213, 90210].map(
			(n) => `order #${n} still has not arrived, not great but the agent was kind`
		);
		for (const t of texts) expect(analyzeText(t, models)).toEqual(analyzeText(t, unmemoised));
		expect(models.memo.dan.size).toBe(1);
		expect(models.memo.cnn.size).toBe(1);
		expect(models.memo.lstm.size).toBeLessThanOrEqual(1);
		// A known word changes the input: a new entry, a different answer.
		const other = analyzeText('order #4711 arrived, great, the agent was kind', models);
		expect(models.memo.dan.size).toBe(2);
		expect(other.sentiment).not.toBe(analyzeText(texts[0]!, models).sentiment);
	});
});

describe('unseen English words read as their nearest training word', () => {
	it('matches each candidate to the most similar target, above the bound only', () => {
		// Rows: good, bad (targets), great, awful, film (candidates); 4-d vectors from the toy table.
		const words = ['good', 'bad', 'great', 'awful', 'film'];
		const pairs = nearestWords(words, Float32Array.from(words.flatMap((w) => vec[w]!)), 4, [0, 1], [2, 3, 4], 0.6);
		expect(pairs).toEqual([
			['great', 'good'],
			['awful', 'bad']
		]);
	});
	it('replaces unseen words, keeps the negation mark, and says when nothing changed', () => {
		const nb = { map: new Map([['superb', 'great']]) } as Neighbours;
		expect(withNeighbours(['not', '!superb', 'superb', 'film'], nb)).toEqual(['not', '!great', 'great', 'film']);
		expect(withNeighbours(['good', 'film'], nb)).toBeUndefined();
	});
	const models = loadModels();
	const without = { ...models, sentimentNeighbours: undefined };
	it('ships a map of unseen words only (no training word is replaced)', () => {
		const map = models.sentimentNeighbours!.map;
		expect(map.get('ribald')).toBe('bawdy');
		expect(map.get('spunky')).toBe('vivacious');
		for (const w of ['good', 'bad', 'film', 'refund', 'not']) expect(map.has(w)).toBe(false);
	});
	it('lets an unseen word move the sentiment the way its neighbour does', () => {
		const score = (t: string, m = models) => analyzeText(t, m, 'en').sentiment!;
		expect(score('a spunky little film')).toBeGreaterThan(score('a spunky little film', without));
		expect(score('a spunky little film')).toBeCloseTo(score('a vivacious little film'), 3);
	});
	it('leaves intents and Chinese alone', () => {
		for (const t of ['I was overcharged on my subscription invoice', 'where is my parcel, the courier is late']) {
			const a = analyzeText(t, models, 'en');
			const b = analyzeText(t, without, 'en');
			expect([a.intent, a.intentConfidence]).toEqual([b.intent, b.intentConfidence]);
		}
		expect(analyzeText('这个外卖太难吃了', models, 'zh')).toEqual(analyzeText('这个外卖太难吃了', without, 'zh'));
	});
});
