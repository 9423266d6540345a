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
import { expandEnglish, isPunctuation, tokenizeChinese, tokenizeEnglish, unmarked } from '../text/tokenize';

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
export function stopSet(language: string): Set<string> {
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

/** The part of a text that is read: its first `maxChars` characters, cleaned, template slots blanked. */
export function readPart(raw: string, maxChars = DEFAULT_MAX_CHARS): string {
	let text = raw;
	if (text.length > maxChars) {
		const cut = text.lastIndexOf(' ', maxChars);
		text = text.slice(0, cut > maxChars / 2 ? cut : maxChars);
	}
	if (NEEDS_CLEANING.test(text)) text = cleanText(text);
	if (text.includes('{{')) text = text.replace(SLOTS, ' ');
	return text;
}

/** The language a read part is taken in: the one given, else detected from its start. */
export function partLanguage(part: string, language?: string): string {
	// The start of a text settles its language; scanning all of it would cost more than the rest.
	return language || detectLanguage(part.length > 300 ? part.slice(0, 300) : part);
}

/**
 * Cleans, detects the language and keeps the content words of the first `maxChars` characters of
 * a text (cut at a word boundary): people state why they write at the start, and the cost of the
 * tokenizers grows with length, so a long narrative costs little more than a tweet.
 */
export function textWords(raw: string, language?: string, maxChars = DEFAULT_MAX_CHARS): TextWords {
	const text = readPart(raw, maxChars);
	const lang = partLanguage(text, language);
	const stop = stopSet(lang || 'en');
	const stems: string[] = [];
	const surfaces: string[] = [];
	if (lang === 'en') englishWords(text, stop, stems, surfaces);
	else wordsOfTokens(lang === 'zh' ? tokenizeChinese(text) : otherTokens(text), lang, stop, stems, surfaces);
	return { language: lang, stems, surfaces };
}

/** A punctuation mark: one '' between words (none at the start, none doubled). */
function pauseAt(stems: string[], surfaces: string[]): void {
	if (stems.length > 0 && stems[stems.length - 1] !== '') {
		stems.push('');
		surfaces.push('');
	}
}

/** No '' at the end. */
function trimPause(stems: string[], surfaces: string[]): void {
	if (stems[stems.length - 1] === '') {
		stems.pop();
		surfaces.pop();
	}
}

/** The content words among a tokenizer's tokens ('' for each run of punctuation). */
function wordsOfTokens(tokens: string[], lang: string, stop: Set<string>, stems: string[], surfaces: string[]): void {
	for (const t of tokens) {
		if (isPunctuation(t)) {
			pauseAt(stems, surfaces);
			continue;
		}
		const w = unmarked(t);
		if (stop.has(w) || !isContent(w)) continue;
		surfaces.push(w);
		stems.push(lang === 'en' ? foldEnglish(w) : w);
	}
	trimPause(stems, surfaces);
}

/** English words of a read part through the general tokenizer path: what `englishWords` must equal (tests). */
export function englishWordsByTokens(text: string): Pick<TextWords, 'stems' | 'surfaces'> {
	const stems: string[] = [];
	const surfaces: string[] = [];
	wordsOfTokens(tokenizeEnglish(text), 'en', stopSet('en'), stems, surfaces);
	return { stems, surfaces };
}

/**
 * Reads an English text in one pass over character codes, exactly as tokenizeEnglish followed by
 * the content filter of textWords reads it (a unit test compares the two on every public text):
 * this is what ingest pays per text, and the general path spent most of its time building match
 * objects and negation-marked tokens that are unmarked again here. Calls `word` with each content
 * word (lower-case, before stop words and folding) and `pause` at each punctuation mark.
 * Contractions are expanded as there ("can't" → "can not", "don't" → "do n't" → "do not"); a word
 * with an apostrophe counts by its part before it.
 */
export function scanEnglish(raw: string, word: (w: string) => void, pause: () => void): void {
	const s = expandEnglish(raw);
	const n = s.length;
	let i = 0;
	while (i < n) {
		const c = s.charCodeAt(i);
		if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
			// . , ! ? ; : — the punctuation tokenizeEnglish keeps as a break.
			if (c === 46 || c === 44 || c === 33 || c === 63 || c === 59 || c === 58) pause();
			i++;
			continue;
		}
		let j = i;
		let letters = 0;
		let digits = 0;
		let allX = true;
		for (; j < n; j++) {
			const d = s.charCodeAt(j);
			if (d >= 97 && d <= 122) {
				letters++;
				if (d !== 120) allX = false;
			} else if (d >= 48 && d <= 57) {
				digits++;
				allX = false;
			} else break;
		}
		let end = j;
		// An apostrophe and letters belong to the token; the token "n't" itself is "not".
		if (j + 1 < n && s.charCodeAt(j) === 39) {
			let k = j + 1;
			while (k < n && s.charCodeAt(k) >= 97 && s.charCodeAt(k) <= 122) k++;
			if (k > j + 1) {
				end = k;
				if (j - i === 1 && c === 110 && k - j === 2 && s.charCodeAt(j + 1) === 116) {
					word('not');
					i = end;
					continue;
				}
			}
		}
		// isContent for a run of [a-z0-9]: a letter, no more digits than letters, two characters, not "xx…".
		if (letters > 0 && digits <= letters && letters + digits >= 2 && !allX) word(s.slice(i, j));
		i = end;
	}
}

function englishWords(text: string, stop: Set<string>, stems: string[], surfaces: string[]): void {
	scanEnglish(
		text,
		(w) => {
			if (stop.has(w)) return;
			surfaces.push(w);
			stems.push(foldEnglish(w));
		},
		() => pauseAt(stems, surfaces)
	);
	trimPause(stems, surfaces);
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
