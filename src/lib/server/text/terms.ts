/**
 * Why this exists: what customers talk about in a pain point or a period, as salient terms and
 * short phrases — words over-represented in the target texts against a background (c-TF-IDF, as in
 * BERTopic, with two classes). English and Chinese (jieba words) alike; the pain-point page shows
 * them and journey-map rules can use them.
 *
 * Scoring: for a term t, tf = number of target texts containing it (document frequency, so one long
 * rant does not dominate), f = its frequency over target and background, A = the average number of
 * terms per class: score = tf / |target terms| × log(1 + A / f). Terms no more frequent in the
 * target than in the background are dropped, and a word is dropped when a selected phrase holding it
 * covers most of its uses (so "refund" gives way to "no refund" or "refund status").
 */
import { cleanText, detectLanguage, isPunctuation, tokenize, unmarked } from '$ingest';

export interface TermDoc {
	text: string;
	language: string;
}
export interface SalientTerm {
	term: string;
	score: number;
	count: number;
}

const EN_STOP = new Set(
	(
		'a an the and or but if then so of to in on at by for with from into about as is are was were be been being am ' +
		'i me my mine you your yours he him his she her it its we us our they them their this that these those there here ' +
		'do does did done have has had having can could will would shall should may might must not no nor never ' +
		'what which who whom whose when where why how all any both each few more most other some such only own same than ' +
		'too very just also again still even ever already yet up down out off over under s t d ll m re ve y ' +
		'get got go going gone really please thanks thank hi hello dear ok okay yes via amp rt im dont cant wont didnt'
	).split(' ')
);
const ZH_STOP = new Set(
	(
		'的 了 是 我 你 他 她 它 我们 你们 他们 在 有 和 与 也 都 就 还 又 很 太 吧 吗 呢 啊 呀 哦 嗯 这 那 这个 那个 ' +
		'一个 一下 什么 怎么 为什么 没 没有 不 不是 会 能 可以 要 想 说 对 把 被 给 让 到 从 而 但 但是 因为 所以 如果 ' +
		'已经 还是 就是 真的 非常 一直 现在 今天 时候 自己 这样 那么 之后 然后 谢谢 请 您 好 哈哈'
	).split(' ')
);

/** Words and adjacent-word phrases (2–3 words) of one text, each counted once. */
function termsOf(doc: TermDoc): Set<string> {
	const text = cleanText(doc.text);
	const lang = doc.language === 'en' || doc.language === 'zh' ? doc.language : detectLanguage(text);
	if (lang !== 'en' && lang !== 'zh') return new Set();
	const zh = lang === 'zh';
	const stop = zh ? ZH_STOP : EN_STOP;
	const out = new Set<string>();
	// Runs of content words between punctuation / stop words make phrases.
	let run: string[] = [];
	const flush = () => {
		for (let i = 0; i < run.length; i++) {
			out.add(run[i]!);
			if (i + 1 < run.length) out.add(zh ? run[i]! + run[i + 1]! : `${run[i]} ${run[i + 1]}`);
			if (i + 2 < run.length && !zh) out.add(`${run[i]} ${run[i + 1]} ${run[i + 2]}`);
		}
		run = [];
	};
	for (const raw of tokenize(text, lang)) {
		const t = unmarked(raw);
		const useful =
			!isPunctuation(t) &&
			!stop.has(t) &&
			!/^\d+$/.test(t) &&
			(zh ? /[\u4e00-\u9fff]{2,}|[a-z]{3,}/.test(t) : t.length >= 3 || /\d/.test(t));
		if (useful) run.push(t);
		else flush();
	}
	flush();
	return out;
}

function docFrequencies(docs: TermDoc[]): { df: Map<string, number>; total: number } {
	const df = new Map<string, number>();
	let total = 0;
	for (const d of docs) {
		if (!d.text) continue;
		for (const t of termsOf(d)) {
			df.set(t, (df.get(t) ?? 0) + 1);
			total++;
		}
	}
	return { df, total };
}

/** Terms and short phrases salient in `target` against `background` (c-TF-IDF-like), both languages. */
export function salientTerms(target: TermDoc[], background: TermDoc[], limit = 20): SalientTerm[] {
	const t = docFrequencies(target);
	const b = docFrequencies(background);
	if (t.total === 0) return [];
	const nTarget = target.length || 1;
	const nBackground = background.length || 1;
	const A = (t.total + b.total) / 2;
	// A term must recur (unless the target is tiny) to be a theme rather than one person's wording.
	const minCount = nTarget >= 20 ? 2 : 1;
	const scored: SalientTerm[] = [];
	for (const [term, tf] of t.df) {
		if (tf < minCount) continue;
		const bf = b.df.get(term) ?? 0;
		// Over-represented in the target (rates per text; the background rate is smoothed).
		if (background.length && tf / nTarget <= (bf + 0.5) / (nBackground + 1)) continue;
		const score = (tf / t.total) * Math.log(1 + A / (tf + bf));
		scored.push({ term, score, count: tf });
	}
	scored.sort((x, y) => y.score - x.score || y.count - x.count || x.term.localeCompare(y.term));
	// Prefer phrases: drop a word (or shorter phrase) when a kept longer phrase holding it covers
	// most of its uses; drop a phrase that adds nothing over a kept phrase containing it.
	const kept: SalientTerm[] = [];
	for (const s of scored) {
		if (kept.length >= limit * 3) break;
		kept.push(s);
	}
	const covered = (short: SalientTerm) =>
		kept.some(
			(long) =>
				long !== short &&
				long.term.length > short.term.length &&
				long.term.includes(short.term) &&
				long.count >= 0.6 * short.count
		);
	return kept
		.filter((s) => !covered(s))
		.slice(0, limit)
		.map((s) => ({ term: s.term, score: Math.round(s.score * 1e4) / 1e4, count: s.count }));
}
