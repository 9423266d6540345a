/**
 * Why this exists: sentiment and intent models are per language, so every text needs a language
 * first, and a text in another language must not be scored by the English model. In order:
 *  1. Chinese by the share of Han characters (exact, and far cheaper than a general detector; mixed
 *     "iPhone充电器坏了" is Chinese); Japanese by kana.
 *  2. English fast path: two or more English-only function words ("the", "you", "with" — not
 *     "me", "in", "no", "was", which other Latin-script languages share), making up a fair share of
 *     the words, and hardly any Spanish/Portuguese/French/German/Italian/Dutch function words. Most
 *     English texts stop here in a few microseconds.
 *  3. Everything else goes to `eld` (Efficient Language Detector, npm, Apache-2.0; 60 languages,
 *     n-gram database inside the package): on the MARC reviews it was 99.7–100% right in Spanish,
 *     French and German, against 88–99% for `tinyld`, `franc` and `franc-min`, and faster. Its
 *     extra-small database: the medium one gains 0.1 point and holds 140 MB more in every thread
 *     that analyses texts.
 *  4. Where eld is unsure (a word or two: "Recomendo", "Gostei!", "ok thx"), distinctive words of
 *     each language decide, then plain-ASCII text with an English word is English; otherwise eld's
 *     best guess stands.
 */
import { eld } from 'eld/extrasmall';

// English-only function and common words: none is a frequent word of es/pt/fr/de/it/nl.
const ENGLISH = new Set(
	(
		'the and is are were been being you your yours he she it its we they my our their him her them ' +
		'this that these those to of for with from by not does did have has had can could would should ' +
		'please thanks thank what when where why how who which there here just very too at or but be ' +
		'about out up if get got like now new been after before because than then only also any some ' +
		"i'm it's don't can't i've you're that's didn't doesn't isn't won't im dont cant thats " +
		'order account refund delivery service help still again today tomorrow will want need know ' +
		'going really good great bad love hate best worst happy day night time people never ever'
	).split(' ')
);

/** Frequent words distinctive of other Latin-script languages (shared ones left out). */
const OTHER: Record<string, string> = {};
for (const [lang, words] of Object.entries({
	es: 'el los las del por para con una muy pero como más mas mi esta está estoy pero todo bien fue producto llegó llego tiempo calidad precio recomiendo gracias bueno buena malo mala nada hola sí también y',
	pt: 'os não nao muito produto entrega recomendo ótimo otimo ótima otima bom boa gostei chegou prazo antes está foi você voce obrigado obrigada péssimo pessimo tudo certo ainda recebi veio loja compra excelente perfeito dentro e um uma em pelo pela até ate então entao também tambem',
	fr: 'le les et est une des du pour pas qui dans sur avec très tres mais sont je il elle nous vous produit livraison bien bon bonne merci reçu recu rapide qualité qualite trop ça ca cette ce',
	de: 'der die das und ist nicht ein eine ich mit sich auf für fur den dem von zu sehr aber auch war gut schnell leider nach wie bei hat habe ware artikel preis danke toll kein keine',
	it: 'il di che non per sono molto della questo questa ottimo prodotto anche',
	nl: 'het een van niet dat zijn voor ook maar wel goed heel'
}))
	for (const w of words.split(' ')) if (!(w in OTHER)) OTHER[w] = lang;

function isHan(c: number): boolean {
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

const WORD = /[\p{L}']+/gu;

/** 'zh', 'en', another ISO 639-1 code (eld's), or '' when there is nothing to go on. */
export function detectLanguage(text: string): string {
	let han = 0;
	let latin = 0;
	let kana = 0;
	let accented = 0;
	let otherScript = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 128) {
			if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
		} else if (isHan(c)) han++;
		else if (c >= 0x3040 && c <= 0x30ff) kana++;
		else if (c >= 0xc0 && c <= 0x24f) {
			latin++;
			accented++;
		} else if (c >= 0x370 && c <= 0x1fff)
			otherScript++; // Greek, Cyrillic, Hebrew, Arabic, Indic, …
		else if (c >= 0xac00 && c <= 0xd7af) otherScript++; // Hangul
	}
	if (kana > 0 && kana >= han / 4) return 'ja';
	// A Han character is about a word; an English word is about five letters.
	if (han > 0 && han * 5 >= latin) return 'zh';
	if (otherScript > latin) return eld.detect(text).language;
	if (latin === 0) return '';
	// English fast path: English-only words, a fair share of the text, next to no foreign ones.
	let en = 0;
	let foreign = 0;
	let words = 0;
	const votes: Record<string, number> = {};
	for (const m of text.matchAll(WORD)) {
		words++;
		const w = m[0].toLowerCase();
		if (ENGLISH.has(w)) en++;
		else {
			const l = OTHER[w];
			if (l) {
				foreign++;
				votes[l] = (votes[l] ?? 0) + 1;
			}
		}
	}
	if (en >= 2 && en * 5 >= words && foreign * 4 <= en && accented * 20 <= latin) return 'en';
	if (en >= 1 && foreign === 0 && accented === 0 && en * 8 >= words) return 'en';
	// A language's own words: the one with the most, if no other ties it.
	let own = '';
	let top = 0;
	for (const [l, n] of Object.entries(votes))
		if (n > top) {
			own = l;
			top = n;
		} else if (n === top) own = '';
	// A word or a few: the own words decide (eld reads "Recomendo" as Spanish).
	if (words <= 4 && own && top > en) return own;
	const r = eld.detect(text);
	const plain = accented === 0;
	if (r.language && r.isReliable()) {
		// Short plain-ASCII text that eld gives to a language we do not expect ("Fee problem" →
		// Danish, "Awesome, baby!" → Tagalog) is English.
		if (plain && words <= 4 && !(r.language in EXPECTED)) return 'en';
		return r.language;
	}
	if (own && top > en) return own;
	if (plain && (en > 0 || !(r.language in EXPECTED))) return 'en';
	return r.language;
}

/** Languages eld's guess is kept for on a short plain-ASCII text; others read as English there. */
const EXPECTED: Record<string, true> = { es: true, pt: true, fr: true, de: true, it: true, nl: true };
