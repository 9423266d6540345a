/**
 * Why this exists: personal data is masked by default in every view and export: names,
 * emails, phone numbers and social handles, and the same inside free text (verbatims carry emails,
 * phone numbers and card numbers people type). Pure functions, shared by server and UI; unmasked
 * values only ever come from the audited reveal.
 */

/** "Wei Zhang" → "W•• Z••••", "张伟" → "张•". Keeps the first letter of each word. */
export function maskName(name: string): string {
	return name
		.trim()
		.split(/\s+/)
		.filter(Boolean)
		.map((w) => {
			const chars = [...w];
			return chars[0] + '•'.repeat(Math.max(1, chars.length - 1));
		})
		.join(' ');
}

/** "jane.doe@example.com" → "j•••@e•••.com". */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	if (at < 1) return email ? '•••' : '';
	const local = email.slice(0, at);
	const domain = email.slice(at + 1);
	const dot = domain.lastIndexOf('.');
	const host = dot > 0 ? domain.slice(0, dot) : domain;
	const tld = dot > 0 ? domain.slice(dot) : '';
	return `${local[0]}•••@${host[0] ?? ''}•••${tld}`;
}

/** "+86 138 0013 8000" → "•••• 8000": the last four digits stay, for a person to recognise it. */
export function maskPhone(phone: string): string {
	const digits = phone.replace(/\D/g, '');
	if (!digits) return '';
	return digits.length <= 4 ? '••••' : `•••• ${digits.slice(-4)}`;
}

/** "@janedoe" → "@j••••••". */
export function maskHandle(handle: string): string {
	const h = handle.replace(/^@/, '');
	if (!h) return '';
	return `@${h[0]}${'•'.repeat(Math.max(1, h.length - 1))}`;
}

// Full-width forms (０-９, Ａ-Ｚ, ＠, ．, the ideographic space) are matched as their ASCII twins.
// Each is one UTF-16 unit like its twin, so positions found in the folded text hold in the original.
const fold = (text: string) =>
	text.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

const WORD = String.raw`[\p{L}\p{N}_%+-]+`;
// "." or a spelled-out "dot" ("jane dot doe", "(dot)"); a bare "." takes no spaces, or every
// sentence after an address would join it.
const DOT = String.raw`(?:\.|\s*[([{]dot[)\]}]\s*|\s+dot\s+)`;
const AT = String.raw`(?:\s*@\s*|\s*[([{]at[)\]}]\s*|\s+at\s+)`;
/** Emails, also written out: "jane.doe @ example.com", "jane dot doe at example dot com". */
const EMAIL = new RegExp(
	`${WORD}(?:${DOT}${WORD})*${AT}${WORD}(?:${DOT}${WORD})*${DOT}\\p{L}{2,12}(?![\\p{L}\\p{N}])`,
	'giu'
);
// 13–19 digits with optional spaces/dashes: card-like numbers (checked before phone numbers).
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
// Between a phone number's digits: nothing, spaces, or one of - . / with spaces around it.
const SEP = String.raw`(?:\s*[-./]\s*|\s+)?`;
// Phone-like: optional +country, optional (area), then 7–15 digits.
const PHONE = new RegExp(String.raw`(?:\+\d{1,3}${SEP})?(?:\(\d{1,4}\)${SEP})?\d(?:${SEP}\d){6,14}`, 'g');

// Dates and year ranges ("1982 - 2017") keep their shape.
const DATE =
	/^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|(?:1[89]|2[01])\d\d\s*[-/]\s*(?:1[89]|2[01])\d\d)$/;
// "at" in words is an address only with a dotted name or a spelled-out "dot" ("jane.doe at x.com",
// "jane at x dot com"); "shop at Target.com" is a sentence.
const SPELLED_AT = /\s+at\s+/i;
const SPELLED_DOT = /[([{]dot[)\]}]|\sdot\s/i;
// Words that end a sentence's clause before "at <shop> dot com" ("bought it at Target dot com",
// "available online at Target dot com"): a mailbox is never named like that.
const PROSE_BEFORE_AT = new Set(
	(
		'it them me us him her you this that these those one ones was is are were be been am only also just here ' +
		'there now even directly online available shop shopping order ordered ordering buy buying bought purchase ' +
		'purchased sold sell sells found listed cheaper price prices sale sales item items stock deals pickup up'
	).split(' ')
);
const isAddress = (m: string) => {
	if (!SPELLED_AT.test(m) || /[@([{]/.test(m)) return true;
	const local = m.split(SPELLED_AT)[0]!;
	if (/\s/.test(local) || !SPELLED_DOT.test(m)) return /\./.test(local) || SPELLED_DOT.test(m);
	return !PROSE_BEFORE_AT.has(local.toLowerCase());
};

/** Replaces the matches of `re` in the folded text, in both the original and the folded copy. */
function replaceFolded(
	text: { original: string; folded: string },
	re: RegExp,
	fn: (m: string) => string
): { original: string; folded: string } {
	let original = '';
	let folded = '';
	let last = 0;
	for (const m of text.folded.matchAll(re)) {
		const out = fn(m[0]);
		original += text.original.slice(last, m.index) + out;
		folded += text.folded.slice(last, m.index) + out;
		last = m.index + m[0].length;
	}
	return { original: original + text.original.slice(last), folded: folded + text.folded.slice(last) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * One pattern for the given people's names: each full name (any spacing) and each part of two or
 * more letters ("Jane", "Doe"), as whole words; names in Chinese script as written (they sit
 * between other characters without spaces).
 */
function namePattern(names: readonly string[]): RegExp | undefined {
	const parts = new Set<string>();
	for (const name of names) {
		const words = fold(name).trim().split(/\s+/).filter(Boolean);
		if (!words.length) continue;
		parts.add(words.map(escape).join('\\s+'));
		for (const w of words) if ([...w].length >= 2) parts.add(escape(w));
	}
	if (!parts.size) return undefined;
	const sorted = [...parts].sort((a, b) => b.length - a.length);
	const latin = sorted.filter((p) => !HAN.test(p));
	const han = sorted.filter((p) => HAN.test(p));
	const alternatives = [
		...(latin.length ? [`(?<![\\p{L}\\p{N}])(?:${latin.join('|')})(?![\\p{L}\\p{N}])`] : []),
		...han
	];
	return new RegExp(alternatives.join('|'), 'giu');
}

/**
 * Masks emails (also spelled out), card-like numbers and phone numbers inside free text, in ASCII
 * or full-width form — and the given people's names (a customer's own name in their own words).
 */
export function maskText(text: string, names: readonly string[] = []): string {
	let t = { original: text, folded: fold(text) };
	const people = namePattern(names);
	if (people) t = replaceFolded(t, people, (m) => maskName(m));
	t = replaceFolded(t, EMAIL, (m) =>
		!isAddress(m)
			? m
			: maskEmail(m.replace(new RegExp(AT, 'iu'), '@').replace(new RegExp(DOT, 'giu'), '.').replace(/\s+/g, ''))
	);
	t = replaceFolded(t, CARD, (m) => {
		const d = m.replace(/\D/g, '');
		return d.length >= 13 ? `[card •••• ${d.slice(-4)}]` : m;
	});
	t = replaceFolded(t, PHONE, (m) => {
		const d = m.replace(/\D/g, '');
		// Amounts have fewer digits (a phone number has at least 7); dates keep their shape.
		return d.length >= 7 && !DATE.test(m.trim()) ? `[phone ${maskPhone(m)}]` : m;
	});
	return t.original;
}
