/**
 * Why this exists: words for the models and the topic finder. English is split on letters with
 * contractions expanded ("don't" → "do not", SST-2's "does n't" alike) and negation scope marked:
 * the words after a negator up to the next punctuation (at most three) get a "!" prefix, so "not bad"
 * yields "!bad", a different feature from "bad". Chinese is segmented by jieba (`@node-rs/jieba`, a
 * native binary with its dictionary inside the npm package: nothing is downloaded) with the same
 * negation marking after 不/没/没有/别/无/未.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;
function segmenter(): Jieba {
	// The dictionary is slow to load: once per process, on first use.
	jieba ??= Jieba.withDict(dict);
	return jieba;
}

const EN_NEGATORS = new Set([
	'not',
	'no',
	'never',
	'nothing',
	'nobody',
	'none',
	'neither',
	'nor',
	'without',
	'hardly',
	'barely',
	'cannot'
]);
const ZH_NEGATORS = new Set([
	'不',
	'没',
	'没有',
	'别',
	'无',
	'未',
	'不是',
	'不太',
	'不会',
	'不能',
	'并不',
	'毫不',
	'从不'
]);
const NEGATION_SCOPE = 3;
const EN_WORD = /[a-z0-9]+(?:'[a-z]+)?|n't|[.,!?;:]/g;
const BREAK = new Set(['.', ',', '!', '?', ';', ':', '，', '。', '！', '？', '；', '：', '、', '~', '～']);

/** English text lower-cased with contractions split ("can't" → "can not", "don't" → "do n't"). */
export function expandEnglish(text: string): string {
	return text
		.toLowerCase()
		.replace(/[’‘`]/g, "'")
		.replace(/\bcan't\b/g, 'can not')
		.replace(/\bwon't\b/g, 'will not')
		.replace(/n't\b/g, " n't");
}

/** English word tokens, lower-cased, negation-marked; punctuation kept as scope breakers. */
export function tokenizeEnglish(text: string): string[] {
	const s = expandEnglish(text);
	const out: string[] = [];
	let scope = 0;
	for (const m of s.matchAll(EN_WORD)) {
		let w = m[0];
		if (w === "n't") w = 'not';
		else if (w.includes("'")) w = w.slice(0, w.indexOf("'")) || w;
		if (BREAK.has(w)) {
			scope = 0;
			out.push(w);
			continue;
		}
		if (EN_NEGATORS.has(w)) {
			out.push(w);
			scope = NEGATION_SCOPE;
			continue;
		}
		out.push(scope > 0 ? NEGATION_MARK + w : w);
		if (scope > 0) scope--;
	}
	return out;
}

/** Chinese words from jieba (plus any Latin words in the text), negation-marked. */
export function tokenizeChinese(text: string): string[] {
	const out: string[] = [];
	let scope = 0;
	for (const raw of segmenter().cut(text, true)) {
		const w = raw.trim().toLowerCase();
		if (!w) continue;
		if (BREAK.has(w)) {
			scope = 0;
			out.push(w);
			continue;
		}
		if (ZH_NEGATORS.has(w)) {
			out.push(w);
			scope = 2;
			continue;
		}
		out.push(scope > 0 ? NEGATION_MARK + w : w);
		if (scope > 0) scope--;
	}
	return out;
}

/** Put before each word in a negation's scope ("not bad" → `not`, `!bad`). */
export const NEGATION_MARK = '!';
export function isNegated(token: string): boolean {
	return token.charCodeAt(0) === 33; // NEGATION_MARK
}
/** The word without its negation mark. */
export function unmarked(token: string): string {
	return isNegated(token) ? token.slice(1) : token;
}

/** Tokens for a text in a language ('zh' → jieba, anything else → English rules). */
export function tokenize(text: string, language: string): string[] {
	return language === 'zh' ? tokenizeChinese(text) : tokenizeEnglish(text);
}

/** Whether a token is punctuation (a scope breaker) rather than a word. */
export function isPunctuation(token: string): boolean {
	return BREAK.has(token);
}
