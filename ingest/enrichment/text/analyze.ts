/**
 * Why this exists: the one entry point that turns a raw text into language, sentiment (−1..1 with
 * a negative/neutral/positive label), intent and scenario. The ingest enricher, the `analyze` CLI,
 * the worker pool (pool.ts), the evaluation and the tests all call this, so what is evaluated is
 * what runs at ingest. Models are the small files under models/ (built by `npm run train:text`),
 * loaded once per thread.
 *
 * Sentiment is a three-class classifier: its probabilities give the label (argmax) and the score
 * (P(positive) − P(negative), so a confident neutral scores near 0). English: a stack
 * (`sentiment-en-stack`) over two three-class n-gram softmaxes (`sentiment-en3`, trained on tweets
 * and reviews, and `sentiment-en3t`, on tweets only), the two-class review n-gram model
 * (`sentiment-en`) and dense word-vector and lexicon features
 * (`sentiment-en-vectors`). Chinese: one three-class n-gram softmax (`sentiment-zh3`). When the
 * text comes from a complaint (`complaint`), a prior learnt from complaint texts is added to the
 * logits, so a bare complaint title ("<brand> data caps") is not read as praise. Other languages
 * get no sentiment (null).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Scenario } from '../../../schemas/entities';
import { featurize, type SparseVector } from './features';
import { INTENT_SCENARIO, OTHER, type Intent } from './intents-data';
import { detectLanguage } from './language';
import { loadModel, logits, probabilities, sigmoid, type LinearModel } from './linear';
import { cleanText, emojiPolarity, hasEmoji, toneTokens } from './normalize';
import { softmaxInPlace, type Softmax } from './softmax';
import { tokenize } from './tokenize';
import { addDenseLogits, denseWidth, foldVectors, loadVectors, type FoldedVectors, type WordVectors } from './vectors';

/** Hash width of the shared feature space; smaller models fold it (index & their mask). */
export const FEATURE_BITS = 18;
/**
 * |score| below this is neutral — only for a models directory without the three-class models
 * (two-class files from an older training); the three-class models' label is their argmax.
 */
export const NEUTRAL_BAND = 0.25;
/**
 * Intent probability below this is unknown (''). Lower for Chinese: with far fewer Chinese examples
 * than English ones the Chinese probabilities are flatter, while the "other" class still catches
 * unrelated text.
 */
export const INTENT_THRESHOLD: Record<'en' | 'zh', number> = { en: 0.4, zh: 0.25 };
/**
 * Logit added per net positive emoji. Chinese training texts hold almost none; the English tweets
 * hold some, but too few to learn most emoji, so English gets half the nudge on top.
 */
const EMOJI_WEIGHT = 1.2;

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

export interface TextAnalysis {
	language: string;
	/** −1..1 (P(positive) − P(negative)), null when the language has no model or the text is empty. */
	sentiment: number | null;
	label: SentimentLabel | '';
	intent: Intent | '';
	scenario: Scenario | '';
	intentConfidence: number;
}

/** The English stacker and the offsets learnt with it (scripts/train-text-three.ts writes it). */
export interface SentimentStack {
	name: string;
	classes: string[];
	softmax: Softmax;
	/** Added to the logits (class offsets chosen for macro-F1 out of fold). */
	offsets: number[];
	/** Added to the logits when the text comes from a complaint. */
	complaintPrior: number[];
	trainedOn: string[];
}

/** A three-class softmax regression and what is added to its logits. */
export interface ThreeClassFile {
	offsets: number[];
	complaintPrior: number[];
}

export interface Models {
	/** Two-class n-gram models: English's is an input of the English stack; both are the fallback. */
	sentiment: Partial<Record<'en' | 'zh', LinearModel>>;
	/** Three-class n-gram softmax regressions. */
	sentiment3: Partial<Record<'en' | 'zh', LinearModel>>;
	/** English three-class n-gram softmax trained on tweets only, a second input of the stack. */
	en3t?: LinearModel;
	/** Chinese three-class offsets and complaint prior (sentiment-zh3.json carries them). */
	zh3?: ThreeClassFile;
	/** English dense inputs of the stack (vocabulary and lexicon; the vectors themselves are folded). */
	vectors?: WordVectors;
	stack?: SentimentStack;
	/** The stack's weights on the dense inputs folded into the words (set by loadModels). */
	folded?: FoldedVectors;
	intent?: LinearModel;
}

export function modelsDir(): string {
	return resolve(process.env.TOUCHMAP_MODELS_DIR ?? join(process.env.TOUCHMAP_ROOT ?? process.cwd(), 'models'));
}

let cached: Models | undefined;
/** Loads the committed models once per process (a missing file leaves that model out). */
export function loadModels(dir = modelsDir()): Models {
	if (cached && dir === modelsDir()) return cached;
	const has = (file: string) => existsSync(join(dir, file));
	const load = (name: string) => (has(`${name}.bin`) ? loadModel(join(dir, name)) : undefined);
	const zh3 = load('sentiment-zh3') as (LinearModel & Partial<ThreeClassFile>) | undefined;
	const models: Models = {
		sentiment: { en: load('sentiment-en'), zh: load('sentiment-zh') },
		sentiment3: { en: load('sentiment-en3'), zh: zh3 },
		en3t: load('sentiment-en3t'),
		zh3: zh3 ? { offsets: zh3.offsets ?? [0, 0, 0], complaintPrior: zh3.complaintPrior ?? [0, 0, 0] } : undefined,
		vectors: has('sentiment-en-vectors.bin') ? loadVectors(join(dir, 'sentiment-en-vectors'), false) : undefined,
		stack: has('sentiment-en-stack.json')
			? (JSON.parse(readFileSync(join(dir, 'sentiment-en-stack.json'), 'utf8')) as SentimentStack)
			: undefined,
		intent: load('intent')
	};
	const { stack, vectors } = models;
	if (stack && vectors) {
		const lead = models.en3t ? 7 : 4;
		if (stack.softmax.inputs !== lead + denseWidth(vectors.dim))
			throw new Error(`Models in ${dir}: sentiment-en-stack does not match the models beside it: retrain`);
		models.folded = foldVectors(vectors, stack.softmax.w, stack.softmax.inputs, lead, stack.classes.length);
		// Scoring reads the folded weights only: the vectors would be held by every thread.
		models.vectors = { ...vectors, emb: new Float32Array(0), int8: undefined };
	}
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

/** The two-class fallback's label: a band around 0. */
export function labelOf(score: number): SentimentLabel {
	return score <= -NEUTRAL_BAND ? 'negative' : score >= NEUTRAL_BAND ? 'positive' : 'neutral';
}

/** What the cleaning removed: links, @handles, hashtags (news-like posts with a link are mostly neutral). */
function metaTokens(raw: string): string[] {
	const out: string[] = [];
	if (raw.includes('http') || raw.includes('www.')) out.push('§url');
	if (raw.includes('@')) out.push('§at');
	// "#482913" is an order number, not a hashtag.
	if (raw.includes('#') && HASHTAG_START.test(raw)) out.push('§hash');
	return out;
}
const HASHTAG_START = /#[\p{L}_]/u;

/**
 * A salutation opening a longer message ("Hi team.", "Good morning, …"): politeness, not tone. In
 * tweets "good morning" is mostly cheerful, so left in it made "Good morning. Checkout keeps
 * failing." read as praise.
 */
const GREETING =
	/^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))(?: (?:team|there|all|everyone|guys|folks|support|sir|madam))?[\s,.!:;-]+(?=[\p{L}\p{N}\p{Extended_Pictographic}])/iu;

/** Cleaned text, language and features — shared by training, evaluation and scoring. */
export function prepare(raw: string, language?: string) {
	const text = cleanText(raw);
	const lang = language || detectLanguage(text);
	const body = lang === 'en' ? text.replace(GREETING, '') : text;
	const tokens = lang === 'en' || lang === 'zh' ? tokenize(body, lang) : [];
	if (lang === 'en') {
		// Emoji, emoticons and !!/?? as tokens of their own (the tokeniser drops them): they carry
		// tone; and whether the post had a link, a handle or a hashtag.
		if (hasEmoji(body) || /[!?:;=<]/.test(body)) for (const t of toneTokens(body)) tokens.push(t);
		for (const t of metaTokens(raw)) tokens.push(t);
	}
	const features = featurize(tokens, text, lang, FEATURE_BITS);
	return { text, language: lang, tokens, features };
}

/** What to compute; ingest skips what the source already gave (each model costs time). */
export interface AnalyzeWants {
	sentiment?: boolean;
	intent?: boolean;
	/** The text comes from a complaint (flag, complaint queue or scenario): the complaint prior applies. */
	complaint?: boolean;
}

/**
 * The English stack's inputs from the n-gram models, before the dense ones: sentiment-en3's logits,
 * sentiment-en3t's (when shipped), sentiment-en's logit.
 */
export function ngramStackInputs(models: Models, features: SparseVector): Float64Array | undefined {
	const { en3t } = models;
	const en3 = models.sentiment3.en;
	const en = models.sentiment.en;
	if (!en3 || !en) return undefined;
	const x = new Float64Array(en3t ? 7 : 4);
	logits(en3, fold(features, en3.bits), x.subarray(0, 3));
	if (en3t) logits(en3t, fold(features, en3t.bits), x.subarray(3, 6));
	logits(en, fold(features, en.bits), x.subarray(x.length - 1));
	return x;
}

/** The English stack's logits (offsets included, complaint prior when asked). */
export function englishLogits(
	models: Models,
	tokens: string[],
	features: SparseVector,
	complaint: boolean
): Float64Array | undefined {
	const { stack, vectors, folded } = models;
	const x = ngramStackInputs(models, features);
	if (!stack || !vectors || !folded || !x) return undefined;
	// The stack over [n-gram logits, dense features]: the n-gram inputs here, the dense ones
	// through the words' folded weights (the same sum as softmaxLogits over denseFeatures).
	const { w, b, inputs } = stack.softmax;
	const z = new Float64Array(3);
	for (let c = 0; c < 3; c++) {
		let s = b[c]!;
		for (let j = 0; j < x.length; j++) s += w[c * inputs + j]! * x[j]!;
		z[c] = s + stack.offsets[c]! + (complaint ? stack.complaintPrior[c]! : 0);
	}
	addDenseLogits(vectors, folded, tokens, z);
	return z;
}

/** The Chinese three-class logits (offsets, complaint prior when asked). */
export function chineseLogits(models: Models, features: SparseVector, complaint: boolean) {
	const zh3 = models.sentiment3.zh;
	if (!zh3 || !models.zh3) return undefined;
	const z = logits(zh3, fold(features, zh3.bits));
	for (let c = 0; c < 3; c++) z[c]! += models.zh3.offsets[c]! + (complaint ? models.zh3.complaintPrior[c]! : 0);
	return z;
}

/** Emoji move the three-class logits: half the nudge to positive, half against negative. */
function emojiNudge(z: Float64Array, text: string, weight: number): void {
	if (!hasEmoji(text)) return;
	const e = weight * emojiPolarity(text);
	z[2]! += e / 2;
	z[0]! -= e / 2;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

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
	if (wants.sentiment !== false && (lang === 'en' || lang === 'zh')) {
		const complaint = wants.complaint === true;
		const z =
			lang === 'en' ? englishLogits(models, tokens, features, complaint) : chineseLogits(models, features, complaint);
		if (z) {
			emojiNudge(z, text, lang === 'en' ? EMOJI_WEIGHT / 2 : EMOJI_WEIGHT);
			const p = softmaxInPlace(z);
			let best = 0;
			for (let c = 1; c < 3; c++) if (p[c]! > p[best]!) best = c;
			out.sentiment = round3(p[2]! - p[0]!);
			out.label = SENTIMENT_LABELS[best]!;
		} else {
			// Two-class files only (an older training): the band around 0 gives the label.
			const model = models.sentiment[lang];
			if (model) {
				let zb = logits(model, fold(features, model.bits))[0]!;
				if (hasEmoji(text)) zb += EMOJI_WEIGHT * emojiPolarity(text);
				out.sentiment = round3(2 * sigmoid(zb) - 1);
				out.label = labelOf(out.sentiment);
			}
		}
	}
	if (wants.intent !== false && models.intent && (lang === 'en' || lang === 'zh')) {
		const p = probabilities(models.intent, fold(features, models.intent.bits));
		let best = 0;
		for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
		const name = models.intent.classes[best] ?? OTHER;
		const top = p[best]!;
		out.intentConfidence = round3(top);
		if (name !== OTHER && top >= INTENT_THRESHOLD[lang] && name in INTENT_SCENARIO) {
			out.intent = name as Intent;
			out.scenario = INTENT_SCENARIO[name as Intent];
		}
	}
	return out;
}
