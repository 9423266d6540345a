/**
 * Why this exists: "what are people talking about here?" — the terms and short phrases that are
 * frequent in one set of texts (a pain point's verbatims) but not in the rest (background), for
 * English and Chinese alike.
 *
 * A simple first version (issue 3): class-based TF-IDF (c-TF-IDF) over unigrams and bigrams for
 * space-separated languages and character bigrams/trigrams for Chinese, with a small stop list.
 * Issue 7 replaces this file with the full implementation behind the same signature.
 */
export interface TermDoc {
	text: string;
	language: string; // 'en' | 'zh' | '' (unknown)
}
export interface SalientTerm {
	term: string;
	score: number;
	count: number;
}

const EN_STOP = new Set(
	(
		'a an the and or but if of to in on at for with from by is are was were be been am i me my we our you your it its ' +
		'this that these those there here not no yes do does did done have has had can could will would should may might ' +
		'so as than then too very just still again also any all some what when where which who why how about after before ' +
		'into out up down over under more most other such only own same s t don get got one two im hi hello thanks thank ' +
		'please okay ok team morning there yes'
	).split(' ')
);
const ZH_STOP = new Set([
	'你好',
	'您好',
	'谢谢',
	'麻烦',
	'一下',
	'我的',
	'这个',
	'那个',
	'什么',
	'怎么',
	'还是',
	'已经',
	'客服'
]);
const HAN = /\p{Script=Han}/u;

/** Terms of one text: words and word bigrams, or Han character bigrams and trigrams. */
export function tokenize(doc: TermDoc): string[] {
	const out: string[] = [];
	const text = doc.text
		.toLowerCase()
		.replace(/https?:\/\/\S+/g, ' ')
		.replace(/[@#][\p{L}\p{N}_]+#?/gu, ' ');
	// Han runs: character n-grams (no segmenter needed for a first version).
	for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
		for (const n of [2, 3]) {
			for (let i = 0; i + n <= run.length; i++) {
				const g = run.slice(i, i + n);
				if (!ZH_STOP.has(g)) out.push(g);
			}
		}
	}
	const words = (text.match(/[\p{L}\p{N}'’]+/gu) ?? [])
		.filter((w) => !HAN.test(w))
		.map((w) => w.replace(/['’]s$/, '').replace(/['’]/g, ''));
	let prev: string | undefined;
	for (const w of words) {
		const stop = EN_STOP.has(w) || w.length < 2 || /^\d+$/.test(w);
		if (!stop) out.push(w);
		if (!stop && prev) out.push(`${prev} ${w}`);
		prev = stop ? undefined : w;
	}
	return out;
}

function counts(docs: TermDoc[]): { tf: Map<string, number>; df: Map<string, number>; total: number } {
	const tf = new Map<string, number>();
	const df = new Map<string, number>();
	let total = 0;
	for (const d of docs) {
		const seen = new Set<string>();
		for (const t of tokenize(d)) {
			tf.set(t, (tf.get(t) ?? 0) + 1);
			total++;
			if (!seen.has(t)) {
				seen.add(t);
				df.set(t, (df.get(t) ?? 0) + 1);
			}
		}
	}
	return { tf, df, total };
}

/** Terms and short phrases salient in `target` against `background` (c-TF-IDF-like), both languages. */
export function salientTerms(target: TermDoc[], background: TermDoc[], limit = 20): SalientTerm[] {
	if (!target.length) return [];
	const t = counts(target);
	const b = counts(background);
	const minDocs = Math.max(2, Math.ceil(target.length * 0.01));
	const avgWords = (t.total + b.total) / 2 || 1;
	const scored: SalientTerm[] = [];
	for (const [term, tf] of t.tf) {
		if ((t.df.get(term) ?? 0) < minDocs) continue;
		// c-TF-IDF: frequency in the class × log(1 + average class size / frequency across classes).
		const freq = tf / Math.max(1, t.total);
		const score = freq * Math.log(1 + avgWords / (tf + (b.tf.get(term) ?? 0)));
		scored.push({ term, score, count: t.df.get(term) ?? 0 });
	}
	scored.sort((x, y) => y.score - x.score || x.term.localeCompare(y.term));
	// A unigram or bigram contained in a higher-ranked phrase adds nothing: drop it.
	const kept: SalientTerm[] = [];
	for (const s of scored) {
		if (kept.some((k) => k.term.includes(s.term) && k.count >= s.count * 0.8)) continue;
		kept.push(s);
		if (kept.length >= limit) break;
	}
	return kept;
}
