import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeText, loadModels } from '../../ingest/text/analyze';
import { cnnIds, cnnLogit, loadCnn, pruneCnn, saveCnn, trainCnn } from '../../ingest/text/cnn';
import { tokenizeEnglish } from '../../ingest/text/tokenize';

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
	it('is loaded with the n-gram model and changes the score', () => {
		const models = loadModels();
		if (!models.sentimentCnn) return; // models not built (train:text) — nothing to compare
		expect(models.sentimentCnn.ensembleWeight).toBeGreaterThan(0);
		const without = analyzeText('a gorgeous, witty, seductive movie', { ...models, sentimentCnn: undefined });
		const withNet = analyzeText('a gorgeous, witty, seductive movie', models);
		expect(withNet.sentiment).not.toBe(without.sentiment);
		expect(withNet.label).toBe('positive');
	});
	it('ignores casing', () => {
		expect(analyzeText('This film is GREAT, NOT BAD at all').sentiment).toBe(
			analyzeText('this film is great, not bad at all').sentiment
		);
	});
});
