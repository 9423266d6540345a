/**
 * Why this exists: contact reasons are found from words, so every text — at discovery and at
 * ingest — must turn into the same terms. The project tokenizers do the splitting (English rules,
 * jieba for Chinese); here the words that say nothing about *why* someone got in touch go: stop
 * words (per language, from the `stopword` lists plus customer-service fillers), negation marks,
 * numbers, masked values ("XX/XX/XXXX", "{$100.00}", "{{Order Number}}"), links and handles. English
 * plurals are folded ("caps" → "cap") so short texts that say the same thing meet; the most common
 * surface form is kept for display. Terms are the remaining words plus adjacent-word bigrams.
 */
import stopwords from 'stopword';
import { detectLanguage } from '../text/language';
import { cleanText } from '../text/normalize';
import { isPunctuation, tokenizeChinese, tokenizeEnglish, unmarked } from '../text/tokenize';

/** Content words of one text; '' marks a sentence break (no bigram across it). */
export interface TextWords {
	language: string;
	/** Folded forms, used as features. */
	stems: string[];
	/** The words as written (lower-cased), parallel to `stems`, for names. */
	surfaces: string[];
}

const EN_EXTRA =
	'hi hello hey dear thanks thank thx ty please pls plz ok okay yes yeah yep no nope lol u ur im ive id dont cant ' +
	'wont didnt doesnt isnt wasnt arent youre theyre thats whats theres ill also just really still even ever yet ' +
	'get got gets getting go going gone want wants wanted need needs needed like know knew tell told ask asked ' +
	'help helped assist assistance could would can will shall may might must let lets one two us via amp rt etc ' +
	'today yesterday tomorrow now anyone someone something anything everything nothing thing things lot bit ' +
	'way able sure much many well back since though however therefore also per why what when where who whom ' +
	'which how again too like then about there here not nor does doesn say says said';
const ZH_EXTRA =
	'的 了 是 我 你 他 她 它 我们 你们 他们 在 有 和 与 也 都 就 还 又 很 太 吧 吗 呢 啊 呀 哦 嗯 嘛 这 那 这个 那个 ' +
	'一个 一下 什么 怎么 怎么办 怎样 如何 哪些 哪里 哪个 为什么 是否 能否 可否 没 没有 不 不是 会 能 可以 要 想 说 对 ' +
	'把 被 给 让 到 从 而 但 但是 因为 所以 如果 已经 还是 就是 真的 非常 一直 现在 今天 时候 自己 这样 那么 之后 然后 ' +
	'我该 我想 我要 我的 谢谢 请 请问 您 您好 你好 好 哈哈 吗 呢 啦 么 之 其 及 等 或 还有 需要 应该 一些 多少 里 上 下 中 时 后 前';

// detectLanguage gives ISO 639-1 codes; the stopword lists are keyed by ISO 639-3.
const ISO3: Record<string, string> = {
	af: 'afr',
	ar: 'ara',
	bg: 'bul',
	bn: 'ben',
	ca: 'cat',
	cs: 'ces',
	da: 'dan',
	de: 'deu',
	el: 'ell',
	es: 'spa',
	et: 'est',
	eu: 'eus',
	fa: 'fas',
	fi: 'fin',
	fr: 'fra',
	ga: 'gle',
	gl: 'glg',
	he: 'heb',
	hi: 'hin',
	hr: 'hrv',
	hu: 'hun',
	hy: 'hye',
	id: 'ind',
	it: 'ita',
	ja: 'jpn',
	ko: 'kor',
	lt: 'lit',
	lv: 'lav',
	ms: 'msa',
	nl: 'nld',
	no: 'nob',
	nb: 'nob',
	pl: 'pol',
	pt: 'por',
	ro: 'ron',
	ru: 'rus',
	sk: 'slk',
	sl: 'slv',
	sv: 'swe',
	th: 'tha',
	tl: 'tgl',
	tr: 'tur',
	uk: 'ukr',
	ur: 'urd',
	vi: 'vie'
};

const stopCache = new Map<string, Set<string>>();
function stopSet(language: string): Set<string> {
	let s = stopCache.get(language);
	if (s) return s;
	if (language === 'en') s = new Set([...(stopwords.eng ?? []), ...EN_EXTRA.split(' ')]);
	else if (language === 'zh') s = new Set([...(stopwords.zho ?? []), ...ZH_EXTRA.split(' ')]);
	else s = new Set([...(stopwords[ISO3[language] ?? ''] ?? []), ...(stopwords.eng ?? [])]);
	stopCache.set(language, s);
	return s;
}

// Template slots like {{Order Number}}. Other masks (CFPB's XX/XX/XXXX, {$1000.00}) fall apart
// into "xx" and digit tokens, which isContent drops.
const SLOTS = /\{\{[^}]*\}\}/g;
const OTHER_WORD = /[\p{L}\p{M}\p{N}]+|[.,!?;:。，！？；：]/gu;

/** S-stemmer for English plurals: folds "caps"/"cap", "fees"/"fee", "companies"/"company". */
export function foldEnglish(w: string): string {
	const n = w.length;
	if (n <= 3 || w.charCodeAt(n - 1) !== 115 /* s */) return w;
	if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return w.slice(0, -3) + 'y';
	if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes')) {
		// "charges" → "charge", but "boxes"/"addresses" only lose the "es".
		return /(?:ss|x|ch|sh|z)es$/.test(w) ? w.slice(0, -2) : w.slice(0, -1);
	}
	if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
	return w.slice(0, -1);
}

function isHan(c: number): boolean {
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

/** Whether a word carries meaning: some letter, not mostly digits, not a masked run like "xxxx". */
function isContent(w: string): boolean {
	let letters = 0;
	let digits = 0;
	let han = false;
	for (let i = 0; i < w.length; i++) {
		const c = w.charCodeAt(i);
		if (c >= 48 && c <= 57) digits++;
		else {
			letters++;
			if (isHan(c)) han = true;
		}
	}
	if (letters === 0 || digits > letters) return false;
	if (!han && letters + digits < 2) return false;
	// Masked runs ("xxxx" once lower-cased) are not words.
	for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) !== 120) return true;
	return false;
}

function otherTokens(text: string): string[] {
	return Array.from(text.toLowerCase().matchAll(OTHER_WORD), (m) => m[0]);
}

/** Characters of a text read for its reason unless a model says otherwise. */
export const DEFAULT_MAX_CHARS = 1000;
// What cleanText removes or rewrites; texts without any of these skip it (it would only collapse
// whitespace, which the tokenizers ignore anyway).
const NEEDS_CLEANING = /[<&@#]|http|www\./;

/**
 * Cleans, detects the language and keeps the content words of the first `maxChars` characters of
 * a text (cut at a word boundary): people state why they write at the start, and the cost of the
 * tokenizers grows with length, so a long narrative costs little more than a tweet.
 */
export function textWords(raw: string, language?: string, maxChars = DEFAULT_MAX_CHARS): TextWords {
	let text = raw;
	if (text.length > maxChars) {
		const cut = text.lastIndexOf(' ', maxChars);
		text = text.slice(0, cut > maxChars / 2 ? cut : maxChars);
	}
	if (NEEDS_CLEANING.test(text)) text = cleanText(text);
	if (text.includes('{{')) text = text.replace(SLOTS, ' ');
	// The start of a text settles its language; scanning all of it would cost more than the rest.
	const lang = language || detectLanguage(text.length > 300 ? text.slice(0, 300) : text);
	const tokens = lang === 'zh' ? tokenizeChinese(text) : lang === 'en' ? tokenizeEnglish(text) : otherTokens(text);
	const stop = stopSet(lang || 'en');
	const stems: string[] = [];
	const surfaces: string[] = [];
	for (const t of tokens) {
		if (isPunctuation(t)) {
			if (stems.length > 0 && stems[stems.length - 1] !== '') {
				stems.push('');
				surfaces.push('');
			}
			continue;
		}
		const w = unmarked(t);
		if (stop.has(w) || !isContent(w)) continue;
		surfaces.push(w);
		stems.push(lang === 'en' ? foldEnglish(w) : w);
	}
	if (stems[stems.length - 1] === '') {
		stems.pop();
		surfaces.pop();
	}
	return { language: lang, stems, surfaces };
}

/** Whether a text has no content word at all (the "no text" bucket). */
export function isEmptyWords(w: TextWords): boolean {
	return w.stems.length === 0;
}

/** Unigram and bigram terms (bigrams joined by one space), with repeats so counts give tf. */
export function termsOf(w: TextWords, bigrams = true): string[] {
	const out: string[] = [];
	const s = w.stems;
	for (let i = 0; i < s.length; i++) {
		const a = s[i]!;
		if (!a) continue;
		out.push(a);
		if (bigrams && i + 1 < s.length && s[i + 1]) out.push(a + ' ' + s[i + 1]!);
	}
	return out;
}

/** How a term is shown: Chinese words join without a space, others with one. */
export function joinForDisplay(a: string, b: string): string {
	return isHan(a.charCodeAt(a.length - 1)) && isHan(b.charCodeAt(0)) ? a + b : a + ' ' + b;
}
