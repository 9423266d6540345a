/**
 * Why this exists: the embedded engine runs queries with bound values (`{name:Type}` + query_params)
 * one at a time across the whole process — the chdb binding chains them, because the engine's
 * parameter state is not isolated per connection — while queries without bound values run in
 * parallel on separate connections. So on the embedded engine each value is written into the SQL
 * here as a typed literal, the way ClickHouse's own substitution does it: a String as a quoted
 * literal, anything else as `_CAST(literal, 'Type')`. The placeholder's declared type decides how
 * a value is written; a value the type cannot hold exactly is refused, never coerced, and a type
 * outside the grammar below is refused too.
 */

export class LiteralError extends Error {}

/** A parsed placeholder type. */
export type LiteralType =
	| { kind: 'String' }
	| { kind: 'Int'; name: string; bits: number; signed: boolean }
	| { kind: 'Float'; name: string }
	| { kind: 'Bool' }
	| { kind: 'Date'; name: 'Date' | 'Date32' }
	| { kind: 'DateTime' }
	| { kind: 'DateTime64'; precision: number }
	| { kind: 'Array'; of: LiteralType };

const INT = /^(U?)Int(8|16|32|64)$/;
const DATETIME64 = /^DateTime64\(\s*([0-9])\s*\)$/;
const ARRAY = /^Array\((.*)\)$/;

/** Parses a declared type; throws LiteralError on one this writer cannot write. */
export function parseType(type: string): LiteralType {
	const t = type.trim();
	const int = INT.exec(t);
	if (int) return { kind: 'Int', name: t, bits: Number(int[2]), signed: int[1] === '' };
	if (t === 'String') return { kind: 'String' };
	if (t === 'Float32' || t === 'Float64') return { kind: 'Float', name: t };
	if (t === 'Bool') return { kind: 'Bool' };
	if (t === 'Date' || t === 'Date32') return { kind: 'Date', name: t };
	if (t === 'DateTime') return { kind: 'DateTime' };
	const dt64 = DATETIME64.exec(t);
	if (dt64) return { kind: 'DateTime64', precision: Number(dt64[1]) };
	const arr = ARRAY.exec(t);
	if (arr) return { kind: 'Array', of: parseType(arr[1]!) };
	throw new LiteralError(`cannot write a value of type ${JSON.stringify(type)}`);
}

/** The canonical spelling of a parsed type (what goes into `_CAST(…, 'Type')`). */
export function typeName(t: LiteralType): string {
	switch (t.kind) {
		case 'String':
		case 'Bool':
		case 'DateTime':
			return t.kind;
		case 'Int':
		case 'Float':
		case 'Date':
			return t.name;
		case 'DateTime64':
			return `DateTime64(${t.precision})`;
		case 'Array':
			return `Array(${typeName(t.of)})`;
	}
}

/**
 * A ClickHouse string literal. Backslash and quote are escaped, and so is every control character
 * (as \xHH), so the literal is one line of printable text whatever the value. A string that is not
 * well-formed UTF-16 (a lone surrogate) has no UTF-8 form and is refused.
 */
export function stringLiteral(s: string): string {
	if (!s.isWellFormed()) throw new LiteralError('cannot write a string with a lone surrogate');
	let out = "'";
	for (const ch of s) {
		const c = ch.codePointAt(0)!;
		if (ch === '\\') out += '\\\\';
		else if (ch === "'") out += "\\'";
		else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
		else out += ch;
	}
	return out + "'";
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A day alone is its midnight, as ClickHouse reads it.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?$/;
/** Inclusive day ranges ClickHouse stores without wrapping or clamping. */
const DATE_RANGE = { Date: ['1970-01-01', '2149-06-06'], Date32: ['1900-01-01', '2299-12-31'] } as const;

function validDay(y: string, m: string, d: string): boolean {
	const t = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
	return t.getUTCFullYear() === Number(y) && t.getUTCMonth() === Number(m) - 1 && t.getUTCDate() === Number(d);
}

function pad(n: number, w = 2): string {
	return String(n).padStart(w, '0');
}

function utcDay(d: Date): string {
	return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function fail(t: LiteralType, v: unknown, why: string): never {
	const shown = typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v;
	throw new LiteralError(`cannot write ${shown} as ${typeName(t)}: ${why}`);
}

/** The bare literal of `v` as type `t` (no cast); throws LiteralError when `t` cannot hold `v`. */
function bare(t: LiteralType, v: unknown): string {
	switch (t.kind) {
		case 'String':
			if (typeof v !== 'string') fail(t, v, 'not a string');
			return stringLiteral(v);
		case 'Int': {
			let n: bigint;
			if (typeof v === 'number') {
				if (!Number.isSafeInteger(v)) fail(t, v, 'not a safe integer');
				n = BigInt(v);
			} else if (typeof v === 'bigint') n = v;
			else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) n = BigInt(v);
			else fail(t, v, 'not an integer');
			const lo = t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
			const hi = t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
			if (n < lo || n > hi) fail(t, v, 'out of range');
			return n.toString();
		}
		case 'Float':
			if (typeof v !== 'number' || !Number.isFinite(v)) fail(t, v, 'not a finite number');
			if (t.name === 'Float32' && Math.fround(v) !== v) fail(t, v, 'not exact in 32 bits');
			// JS prints the shortest decimal that reads back as the same double (e.g. 1e-7, 5e+300),
			// except for -0, which it prints as 0 (and ClickHouse would read -0 as the integer 0).
			return Object.is(v, -0) ? '-0e0' : String(v);
		case 'Bool':
			if (typeof v !== 'boolean') fail(t, v, 'not a boolean');
			return v ? 'true' : 'false';
		case 'Date': {
			let day: string;
			if (v instanceof Date) {
				if (Number.isNaN(v.getTime()) || v.getTime() % 86_400_000 !== 0) fail(t, v, 'not a UTC midnight');
				day = utcDay(v);
			} else if (typeof v === 'string') {
				const m = DATE.exec(v);
				if (!m || !validDay(m[1]!, m[2]!, m[3]!)) fail(t, v, 'not a YYYY-MM-DD day');
				day = v;
			} else fail(t, v, 'not a day');
			const [lo, hi] = DATE_RANGE[t.name];
			if (day < lo || day > hi) fail(t, v, `outside ${lo}..${hi}`);
			return `'${day}'`;
		}
		case 'DateTime':
		case 'DateTime64': {
			const precision = t.kind === 'DateTime' ? 0 : t.precision;
			let text: string;
			if (v instanceof Date) {
				// As the chdb binding wrote a Date: its UTC wall-clock time.
				if (Number.isNaN(v.getTime())) fail(t, v, 'an invalid Date');
				const ms = v.getUTCMilliseconds();
				if (precision < 3 && ms % 10 ** (3 - precision) !== 0) fail(t, v, 'more precise than the type');
				text = `${utcDay(v)} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`;
				if (precision > 0) text += `.${pad(ms, 3).padEnd(precision, '0').slice(0, precision)}`;
			} else if (typeof v === 'string') {
				const m = DATETIME.exec(v);
				if (
					!m ||
					!validDay(m[1]!, m[2]!, m[3]!) ||
					Number(m[4] ?? 0) > 23 ||
					Number(m[5] ?? 0) > 59 ||
					Number(m[6] ?? 0) > 59
				)
					fail(t, v, 'not a YYYY-MM-DD hh:mm:ss time');
				if ((m[7] ?? '').replace(/0+$/, '').length > precision) fail(t, v, 'more precise than the type');
				text = m[4] === undefined ? `${v} 00:00:00` : v.replace('T', ' ');
			} else fail(t, v, 'not a time');
			const year = Number(text.slice(0, 4));
			if (t.kind === 'DateTime' ? year < 1970 || year > 2105 : year < 1900 || year > 2299)
				fail(t, v, 'outside the range the type holds');
			return `'${text}'`;
		}
		case 'Array':
			if (!Array.isArray(v)) fail(t, v, 'not an array');
			return `[${v.map((x) => bare(t.of, x)).join(', ')}]`;
	}
}

/** `v` written as a literal of `type`: a quoted string for String, else `_CAST(literal, 'Type')`. */
export function writeLiteral(type: string | LiteralType, v: unknown): string {
	const t = typeof type === 'string' ? parseType(type) : type;
	const lit = bare(t, v);
	return t.kind === 'String' ? lit : `_CAST(${lit}, '${typeName(t)}')`;
}

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z0-9_(), ]+?)\s*\}/y;

/**
 * `sql` with every `{name:Type}` placeholder replaced by its value in `params`, written as a typed
 * literal. Placeholders inside quoted strings, quoted identifiers and comments are left alone, as
 * ClickHouse itself would. A placeholder without a value throws, like ClickHouse's "Substitution
 * not set"; values without a placeholder are ignored, as ClickHouse ignores them.
 */
export function writeParams(sql: string, params: Record<string, unknown>): string {
	let out = '';
	let i = 0;
	let from = 0;
	while (i < sql.length) {
		const c = sql[i]!;
		if (c === "'" || c === '"' || c === '`') {
			// Quoted text: skip to the closing quote (backslash escapes the next character, a doubled
			// quote is a quote).
			let j = i + 1;
			while (j < sql.length) {
				if (sql[j] === '\\') j += 2;
				else if (sql[j] === c) {
					if (sql[j + 1] === c) j += 2;
					else break;
				} else j++;
			}
			i = j + 1;
		} else if ((c === '-' && sql[i + 1] === '-') || (c === '#' && (sql[i + 1] === ' ' || sql[i + 1] === '!'))) {
			const nl = sql.indexOf('\n', i);
			i = nl < 0 ? sql.length : nl + 1;
		} else if (c === '/' && sql[i + 1] === '*') {
			const end = sql.indexOf('*/', i + 2);
			i = end < 0 ? sql.length : end + 2;
		} else if (c === '{') {
			PLACEHOLDER.lastIndex = i;
			const m = PLACEHOLDER.exec(sql);
			if (!m) {
				i++;
				continue;
			}
			const [whole, name, type] = m;
			if (!Object.hasOwn(params, name!) || params[name!] === undefined)
				throw new LiteralError(`query parameter {${name}:${type}} has no value`);
			let lit: string;
			try {
				lit = writeLiteral(type!, params[name!]);
			} catch (err) {
				if (err instanceof LiteralError) throw new LiteralError(`query parameter ${name}: ${err.message}`);
				throw err;
			}
			out += sql.slice(from, i) + lit;
			i += whole.length;
			from = i;
		} else i++;
	}
	return out + sql.slice(from);
}
