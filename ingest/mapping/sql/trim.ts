/**
 * Why this exists: JavaScript's `String.prototype.trim`, by character, in ClickHouse. Its
 * `trimBoth(s, chars)` trims bytes, so a set holding U+00A0 (C2 A0) cut the last byte off "voilà"
 * (… C3 A0) and "谢谢你" (… E4 BD A0). ASCII whitespace is trimmed by bytes (no multi-byte
 * character contains an ASCII byte), and that is all a file needs unless some line holds one of
 * JavaScript's other spaces (`spacesIn`; the caller looks first). Then the lines holding one (`_sp`)
 * are trimmed by a regex; choosing per value costs every file, so a file without such a line is
 * not compiled that way.
 */
import type { FileFormat } from '../../sources/readers';
import { sqlArray, sqlString } from './literal';

export interface Trim {
	/** `e.trim()`. */
	trim(e: string): string;
	/** `e.trim() === ''`. */
	blank(e: string): string;
}

export const ASCII_SPACE = sqlString(' \t\n\v\f\r');
/** What JS trims beyond ASCII: U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF. */
const UNICODE_SPACES = [
	'\u00a0',
	'\u1680',
	...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
	'\u2028',
	'\u2029',
	'\u202f',
	'\u205f',
	'\u3000',
	'\ufeff'
];
const SPACES = `[\\t\\n\\v\\f\\r ${UNICODE_SPACES.map((c) => `\\x{${c.charCodeAt(0).toString(16)}}`).join('')}]`;
const bytes = (e: string) => `trimBoth(${e}, ${ASCII_SPACE})`;
export const BYTE_TRIM: Trim = { trim: bytes, blank: (e) => `${bytes(e)} = ''` };
export const JS_TRIM: Trim = {
	trim: (e) => `if(_sp, replaceRegexpAll(${e}, ${sqlString(`^${SPACES}+|${SPACES}+$`)}, ''), ${bytes(e)})`,
	blank: (e) => `if(_sp, match(${e}, ${sqlString(`^${SPACES}*$`)}), ${bytes(e)} = '')`
};
/** `line.trim() === ''` for a whole line, a regex only when it starts with a multi-byte character. */
export const BLANK_LINE = `(${bytes('line')} = '' OR (${bytes('line')} >= '\\xC2' AND match(line, ${sqlString(`^${SPACES}*$`)})))`;

/**
 * Whether a line holds a non-ASCII space JS trims, or in JSON its `\u` escape (`\u3000`, any case).
 * Other escapes (`\u4f60` for 你, as Python writes JSON) do not send a line the slow way.
 */
export function spacesIn(line: string, format: FileFormat): string {
	const escapes = UNICODE_SPACES.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	const escaped =
		format === 'ndjson'
			? `(position(${line}, '\\\\u') > 0 AND multiSearchAnyCaseInsensitive(${line}, ${sqlArray(escapes)})) OR `
			: '';
	return `${escaped}(length(${line}) != lengthUTF8(${line}) AND multiSearchAny(${line}, ${sqlArray(UNICODE_SPACES)}))`;
}
