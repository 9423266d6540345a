/**
 * Why this exists: sentiment and intent models are per language, so every text needs a language
 * first. Chinese is decided by the share of Han characters (exact and far cheaper than a general
 * detector; mixed "iPhone充电器坏了" is Chinese). Latin-script texts are English when common English
 * function words make that obvious or the text is plain ASCII; accented Latin text goes to the
 * maintained `tinyld` detector, so a Portuguese review is stored as `pt` and not scored by the
 * English models.
 */
import { detect } from 'tinyld';

// Frequent English function words: two or more of these (or one in a very short text) is English.
const ENGLISH = new Set(
	(
		'the an and or but is are was were be been am i you he she it we they my your our their me him her us them ' +
		'this that these those to of in on at for with from by not do does did have has had can could will would ' +
		'should please thanks thank hi hello what when where why how who which there here again still just very too ' +
		'order my account refund delivery'
	).split(' ')
);

function isHan(c: number): boolean {
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

/** 'zh', 'en', another ISO 639-1 code from tinyld, or '' when there is nothing to go on. */
export function detectLanguage(text: string): string {
	let han = 0;
	let latin = 0;
	let kana = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 128) {
			if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
		} else if (isHan(c)) han++;
		else if (c >= 0x3040 && c <= 0x30ff) kana++;
		else if (c >= 0xc0 && c <= 0x24f) latin++;
	}
	if (kana > 0 && kana >= han / 4) return 'ja';
	// A Han character is about a word; an English word is about five letters.
	if (han > 0 && han * 5 >= latin) return 'zh';
	if (latin === 0) return '';
	// Count English function words, stopping as soon as the answer is clear.
	let hits = 0;
	let words = 0;
	for (const m of text.matchAll(/[A-Za-z']+/g)) {
		words++;
		if (ENGLISH.has(m[0].toLowerCase()) && ++hits >= 2) return 'en';
	}
	if ((hits === 1 && words <= 4) || hits * 5 >= words) return 'en';
	// Plain-ASCII Latin text is English for our purposes: Portuguese, Spanish, French or German of
	// any length nearly always carries accents. Only accented text goes to the general detector
	// (which also misreads short English sentences as Irish or French).
	if (!/[\u00c0-\u024f]/.test(text)) return 'en';
	return detect(text) || 'en';
}
