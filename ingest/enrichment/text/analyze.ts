/**
 * Why this exists: the one entry point that turns a raw text into language, sentiment (−1..1 with
 * a negative/neutral/positive label), intent and scenario. The ingest enricher, the `analyze` CLI,
 * the evaluation and the tests all call this, so what is evaluated is what runs at ingest.
 * Models are the small files under models/ (built by `npm run train:text`), loaded once: linear
 * n-gram models for both languages and, for English sentiment, two small networks over pretrained
 * word vectors (cnn.ts, embedding.ts) whose weighted logits are added to the n-gram model's, then,
 * for texts that sum leaves unsure, a second stage with a BiLSTM (lstm.ts). English words none of
 * these was trained on are first replaced by their nearest training word (neighbours.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Scenario } from '../../../schemas/entities';
import { cnnIds, cnnLogitOfIds, loadCnn, type CnnModel } from './cnn';
import { danLogitOfIds, loadDan, lookup, type DanModel } from './embedding';
import { loadLstm, lstmIds, lstmLogitOfIds, secondStage, type LstmModel } from './lstm';
import { loadNeighbours, withNeighbours, type Neighbours } from './neighbours';
import { featurize, type SparseVector } from './features';
import { INTENT_SCENARIO, OTHER, type Intent } from './intents-data';
import { detectLanguage } from './language';
import { loadModel, logits, probabilities, sigmoid, type LinearModel } from './linear';
import { cleanText, emojiPolarity, hasEmoji } from './normalize';
import { tokenize } from './tokenize';

/** Hash width of the shared feature space; smaller models fold it (index & their mask). */
export const FEATURE_BITS = 18;
/** |score| below this is neutral. Chosen so plain requests without opinion land in neutral. */
export const NEUTRAL_BAND = 0.25;
/**
 * Intent probability below this is unknown (''). Lower for Chinese: with far fewer Chinese examples
 * than English ones the Chinese probabilities are flatter, while the "other" class still catches
 * unrelated text.
 */
export const INTENT_THRESHOLD: Record<'en' | 'zh', number> = { en: 0.4, zh: 0.25 };
/** Logit added per net positive emoji (the training sets hardly contain any). */
const EMOJI_WEIGHT = 1.2;

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface TextAnalysis {
	language: string;
	/** −1..1, null when the language has no model or the text is empty. */
	sentiment: number | null;
	label: SentimentLabel | '';
	intent: Intent | '';
	scenario: Scenario | '';
	intentConfidence: number;
}

export interface Models {
	sentiment: Partial<Record<'en' | 'zh', LinearModel>>;
	/** English sentiment network; its logit × `ensembleWeight` joins the n-gram logit. */
	sentimentCnn?: CnnModel;
	/** English sentiment deep-averaging network, likewise. */
	sentimentDan?: DanModel;
	/** English sentiment BiLSTM (its own vectors, the DAN's vocabulary): the second stage for unsure texts. */
	sentimentLstm?: LstmModel;
	/** Words the English sentiment models never saw, read as their nearest training word. */
	sentimentNeighbours?: Neighbours;
	intent?: LinearModel;
	/** Set by loadModels (frozen weights only): each network's logits by input ids (memoLogit). */
	memo?: Record<'cnn' | 'dan' | 'lstm', Map<string, number>>;
}

export function modelsDir(): string {
	return resolve(process.env.TOUCHMAP_MODELS_DIR ?? join(process.env.TOUCHMAP_ROOT ?? process.cwd(), 'models'));
}

let cached: Models | undefined;
/** Loads the committed models once per process (a missing file leaves that model out). */
export function loadModels(dir = modelsDir()): Models {
	if (cached && dir === modelsDir()) return cached;
	const load = (name: string) => (existsSync(join(dir, `${name}.bin`)) ? loadModel(join(dir, name)) : undefined);
	const models: Models = {
		sentiment: { en: load('sentiment-en'), zh: load('sentiment-zh') },
		sentimentCnn: existsSync(join(dir, 'sentiment-en-cnn.bin')) ? loadCnn(join(dir, 'sentiment-en-cnn')) : undefined,
		sentimentDan: existsSync(join(dir, 'sentiment-en-dan.bin')) ? loadDan(join(dir, 'sentiment-en-dan')) : undefined,
		sentimentLstm: existsSync(join(dir, 'sentiment-en-lstm.bin'))
			? loadLstm(join(dir, 'sentiment-en-lstm'))
			: undefined,
		sentimentNeighbours: existsSync(join(dir, 'sentiment-en-neighbours.json'))
			? loadNeighbours(join(dir, 'sentiment-en-neighbours'))
			: undefined,
		intent: load('intent'),
		memo: { cnn: new Map(), dan: new Map(), lstm: new Map() }
	};
	const { sentimentLstm: lstm, sentimentDan: dan } = models;
	// The LSTM's table follows the DAN's vocabulary list: files from different trainings would mismatch.
	if (lstm && dan?.vocab.length !== lstm.vocabSize)
		throw new Error(
			`Models in ${dir}: sentiment-en-lstm does not match sentiment-en-dan: retrain with npm run train:text`
		);
	if (dir === modelsDir()) cached = models;
	return models;
}

/** Same features at a smaller hash width (collisions just add up). */
export function fold(x: SparseVector, bits: number): SparseVector {
	if (bits >= FEATURE_BITS) return x;
	const mask = (1 << bits) - 1;
	const idx = new Int32Array(x.idx.length);
	for (let i = 0; i < idx.length; i++) idx[i] = x.idx[i]! & mask;
	return { idx, val: x.val };
}

export function labelOf(score: number): SentimentLabel {
	return score <= -NEUTRAL_BAND ? 'negative' : score >= NEUTRAL_BAND ? 'positive' : 'neutral';
}

/** Cleaned text, language and features — shared by training, evaluation and scoring. */
export function prepare(raw: string, language?: string) {
	const text = cleanText(raw);
	const lang = language || detectLanguage(text);
	const tokens = lang === 'en' || lang === 'zh' ? tokenize(text, lang) : [];
	const features = featurize(tokens, text, lang, FEATURE_BITS);
	return { text, language: lang, tokens, features };
}

/** What to compute; ingest skips what the source already gave (each model costs time). */
export interface AnalyzeWants {
	sentiment?: boolean;
	intent?: boolean;
}

// A network's logit is a function of its input ids alone (computed once, for the key and the
// network), and texts that differ only in words the network does not know (order numbers, amounts,
// names) have the same ids, so far fewer inputs than texts reach a network. Bounded, and only for
// loadModels' frozen weights.
const MEMO_LIMIT = 50_000;
function memoLogit(memo: Map<string, number> | undefined, key: () => string, net: () => number): number {
	if (!memo) return net();
	const k = key();
	let z = memo.get(k);
	if (z === undefined) {
		z = net();
		if (memo.size >= MEMO_LIMIT) memo.clear();
		memo.set(k, z);
	}
	return z;
}

export function analyzeText(
	raw: string,
	models = loadModels(),
	language?: string,
	wants: AnalyzeWants = {}
): TextAnalysis {
	const { text, language: lang, tokens, features } = prepare(raw, language);
	const out: TextAnalysis = {
		language: lang,
		sentiment: null,
		label: '',
		intent: '',
		scenario: '',
		intentConfidence: 0
	};
	if (!text || features.idx.length === 0) return out;
	const model = wants.sentiment !== false && (lang === 'en' || lang === 'zh') ? models.sentiment[lang] : undefined;
	if (model) {
		// English words no sentiment model was trained on are read as their nearest training word.
		const seen =
			lang === 'en' && models.sentimentNeighbours ? withNeighbours(tokens, models.sentimentNeighbours) : undefined;
		const words = seen ?? tokens;
		let z = logits(model, fold(seen ? featurize(seen, text, lang, FEATURE_BITS) : features, model.bits))[0]!;
		const { sentimentCnn: cnn, sentimentDan: dan, sentimentLstm: lstm, memo } = models;
		if (lang === 'en' && cnn) {
			const ids = cnnIds(cnn.index, words);
			z +=
				cnn.ensembleWeight *
				memoLogit(
					memo?.cnn,
					() => ids.join(','),
					() => cnnLogitOfIds(cnn, ids)
				);
		}
		if (lang === 'en' && dan) {
			const ids = lookup(dan, words);
			const key = () => `${ids.plain.join(',')}|${ids.negated.join(',')}`;
			z += dan.ensembleWeight * memoLogit(memo?.dan, key, () => danLogitOfIds(dan, ids));
		}
		if (lang === 'en' && lstm && dan)
			z = secondStage(lstm, z, () => {
				const ids = lstmIds(dan, words);
				return memoLogit(
					memo?.lstm,
					() => ids.join(','),
					() => lstmLogitOfIds(lstm, ids)
				);
			});
		if (hasEmoji(text)) z += EMOJI_WEIGHT * emojiPolarity(text);
		const score = Math.round((2 * sigmoid(z) - 1) * 1000) / 1000;
		out.sentiment = score;
		out.label = labelOf(score);
	}
	if (wants.intent !== false && models.intent && (lang === 'en' || lang === 'zh')) {
		const p = probabilities(models.intent, fold(features, models.intent.bits));
		let best = 0;
		for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
		const name = models.intent.classes[best] ?? OTHER;
		const top = p[best]!;
		out.intentConfidence = Math.round(top * 1000) / 1000;
		if (name !== OTHER && top >= INTENT_THRESHOLD[lang] && name in INTENT_SCENARIO) {
			out.intent = name as Intent;
			out.scenario = INTENT_SCENARIO[name as Intent];
		}
	}
	return out;
}
