/**
 * Why this exists: every value that comes from a mapping file or a canonical schema enters the
 * compiled SQL as a string literal made here — the one escaping function, unit-tested — so nothing
 * a person wrote is ever spliced into SQL as code.
 */

/** A SQL string literal: backslash and quote escaped, control bytes as \xNN. */
export function sqlString(s: string): string {
	let out = '';
	for (const c of s) {
		const code = c.charCodeAt(0);
		if (c === '\\' || c === "'") out += `\\${c}`;
		else if (code < 0x20) out += `\\x${code.toString(16).padStart(2, '0')}`;
		else out += c;
	}
	return `'${out}'`;
}

export const sqlArray = (xs: readonly string[]) => `[${xs.map(sqlString).join(', ')}]`;

/** A scalar from a mapping file as SQL: a string literal, or NULL. */
export const sqlScalar = (v: string | number | boolean | null) => (v === null ? 'NULL' : sqlString(String(v)));

/** A message around a SQL value: `words(value)` written once, in semantics.ts, for both paths. */
export function sqlWords(words: (value: string) => string, value: string): string {
	const [before, after] = words('\u0000').split('\u0000');
	return `concat(${sqlString(before!)}, ${value}, ${sqlString(after!)})`;
}

/** Why a mapping cannot be compiled: the caller takes the JS path instead. */
export class Unsupported extends Error {}
export const fail = (why: string): never => {
	throw new Unsupported(why);
};
