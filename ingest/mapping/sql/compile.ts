/**
 * Why this exists: the fast ingest path lets ClickHouse parse, map and validate a file (the JS path
 * costs ~36 µs of CPU a record; ClickHouse does the same work in a few). This module compiles a
 * declarative mapping (schemas/mapping.ts) into one SELECT over the file's lines: every canonical
 * field as an expression with the semantics of ingest/mapping.ts (first non-empty source,
 * `join`, case-insensitive trimmed `map`, `default`, `type`, `multiply`, dates with a zone,
 * constants, `attributes.*`), plus ONE `reason` column that is '' for a valid row and otherwise
 * the readable reason the JS path gives (conversion errors first, then the canonical schema's
 * checks, worded as zod words them).
 *
 * A mapping the compiler cannot express returns `{ ok: false, why }` and the pipeline takes the JS
 * path: Luxon date formats other than the ISO / SQL ones, a `type` that contradicts the canonical
 * type, constants of the wrong type, field names with a backtick.
 *
 * Every value that comes from a mapping file is a SQL string literal made by `sqlString` (the one
 * escaping function, unit-tested); nothing from a data file is ever spliced into SQL.
 */
import type { EntityKind } from '../../../schemas/entities';
import { CHANNELS, OUTCOMES, SCENARIOS } from '../../../schemas/entities';
import type { Mapping } from '../../../schemas/mapping';
import { CANONICAL_TYPES, type FieldType } from '../map-record';

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

const sqlArray = (xs: string[]) => `[${xs.map(sqlString).join(', ')}]`;

/**
 * JS `String.prototype.trim`, by character. ClickHouse's `trimBoth(s, chars)` trims bytes, so a set
 * holding U+00A0 (C2 A0) cut the last byte off "voilà" (… C3 A0) and "谢谢你" (… E4 BD A0). ASCII
 * whitespace is trimmed by bytes (no multi-byte character contains an ASCII byte), and that is all
 * a file needs unless some line holds one of JavaScript's other spaces (`spacesIn`; the caller
 * looks first). Then the lines holding one (`_sp`) are trimmed by a regex: choosing per value cost
 * the 1M-ticket stage 1.2 CPU-s more even with no line needing it (measured), so a file without
 * such a line is not compiled that way.
 */
interface Trim {
	/** `e.trim()`. */
	trim(e: string): string;
	/** `e.trim() === ''`. */
	blank(e: string): string;
}
const ASCII_SPACE = sqlString(' \t\n\v\f\r');
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
const BYTE_TRIM: Trim = { trim: bytes, blank: (e) => `${bytes(e)} = ''` };
const JS_TRIM: Trim = {
	trim: (e) => `if(_sp, replaceRegexpAll(${e}, ${sqlString(`^${SPACES}+|${SPACES}+$`)}, ''), ${bytes(e)})`,
	blank: (e) => `if(_sp, match(${e}, ${sqlString(`^${SPACES}*$`)}), ${bytes(e)} = '')`
};
/** `line.trim() === ''` for a whole line, a regex only when it starts with a multi-byte character. */
const BLANK_LINE = `(${bytes('line')} = '' OR (${bytes('line')} >= '\\xC2' AND match(line, ${sqlString(`^${SPACES}*$`)})))`;

/**
 * Whether a line holds a non-ASCII space JS trims, or in JSON its `\u` escape (`\u3000`, any case).
 * Other escapes (`\u4f60` for 你, as Python writes JSON) do not send a line the slow way.
 */
export function spacesIn(line: string, format: 'csv' | 'ndjson'): string {
	const escapes = UNICODE_SPACES.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	const escaped =
		format === 'ndjson'
			? `(position(${line}, '\\\\u') > 0 AND multiSearchAnyCaseInsensitive(${line}, ${sqlArray(escapes)})) OR `
			: '';
	return `${escaped}(length(${line}) != lengthUTF8(${line}) AND multiSearchAny(${line}, ${sqlArray(UNICODE_SPACES)}))`;
}

const TRUE = ['true', '1', 'yes', 'y', 't'];
const FALSE = ['false', '0', 'no', 'n', 'f'];
const UNMAPPED = '\u0001';
const MAPPED_NULL = '\u0002';

/** Luxon formats with a ClickHouse equivalent (ISO / SQL shapes read by parseDateTime64BestEffort). */
const SQL_FORMATS = new Set(['yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd']);
/**
 * What Luxon's fromISO / fromSQL accept of the ISO 8601 shapes sources send: extended (2025-03-04,
 * T10, T10:00, T10:00:00.123, a space and an offset only in the SQL shape) and basic (2025, 202503,
 * 20250304, 20250304T100000Z). Minutes and seconds up to 59: parseDateTime64BestEffort reads
 * 10:00:60 as 10:01, Luxon refuses it.
 */
const ZONE = '(Z|[+-]\\d\\d(:?\\d\\d)?)';
const SECONDS = ':[0-5]\\d(\\.\\d{1,9})?';
const ISO_RE = `^(\\d{4}-\\d\\d-\\d\\d(T\\d\\d(:[0-5]\\d(${SECONDS})?)?${ZONE}?| \\d\\d:[0-5]\\d(${SECONDS})? ?${ZONE}?)?|\\d{4}(\\d\\d(\\d\\d(T\\d{6}(\\.\\d{1,9})?${ZONE}?)?)?)?)$`;
/** Epoch seconds (milliseconds above 1e11): 9 digits or more, as ingest/mapping.ts reads them. */
const EPOCH_RE = '^\\d{9,}(\\.\\d+)?$';

export interface SourceSpec {
	format: 'csv' | 'ndjson';
	/** CSV: the header's names, trimmed, in order. */
	header?: string[];
	delimiter?: string;
	/** Some line holds a non-ASCII space (`spacesIn`): trim as JS does, by character (Trim). */
	spaces?: boolean;
	/** NDJSON: the file opens with a UTF-8 byte-order mark (the first line is read without it). */
	bom?: boolean;
}

export type SqlMapping =
	| {
			ok: true;
			/** SELECT list over `file(…, 'LineAsString')` (column `line`, virtual `_row_number`). */
			inner: string;
			/** SELECT list over `inner`'s rows: the stage's columns. */
			select: string;
			/** WHERE clause of `inner` that drops blank lines (they are neither records nor errors). */
			where: string;
			/**
			 * Columns of the stage the SELECT produces: line, raw, reason and the canonical fields.
			 * Select them all: `reason` asked for alone let ClickHouse evaluate the values its checks
			 * read lazily, branch by branch — 88 s (174 CPU-s) for 1M tickets against 1.7 s for every
			 * column (measured).
			 */
			columns: string[];
	  }
	| { ok: false; why: string };

interface Unsupported {
	why: string;
}
const fail = (why: string): never => {
	throw { why } satisfies Unsupported;
};

/** Canonical fields, their ClickHouse stage type, zod default (SQL) and checks, per entity. */
interface CanonField {
	name: string;
	type: FieldType | 'map';
	/** SQL for the value when nothing set it; undefined = required. */
	def?: string;
	/** [condition that is TRUE for a bad value (on column `v`), zod's message]. */
	checks?: [string, string][];
	/** Max length of a trimmed string. */
	max?: number;
	min1?: boolean;
	enumOf?: readonly string[];
	orEmptyEnum?: readonly string[];
	nullable?: boolean;
}

const str = (name: string, max: number, extra: Partial<CanonField> = {}): CanonField => ({
	name,
	type: 'string',
	def: "''",
	max,
	...extra
});
const secs = (name: string): CanonField => ({
	name,
	type: 'number',
	def: 'NULL',
	nullable: true,
	checks: [
		['v < 0', `${name}: Too small: expected number to be >=0`],
		['v > 604800', `${name}: Too big: expected number to be <=604800`]
	]
});

const CANON: Record<EntityKind, CanonField[]> = {
	interaction: [
		str('source', 64),
		{ name: 'source_id', type: 'string', max: 256, min1: true },
		str('customer_id', 128),
		{ name: 'ts', type: 'datetime' },
		{ name: 'channel', type: 'string', enumOf: CHANNELS },
		str('stage', 64),
		str('touchpoint', 128),
		{ name: 'scenario', type: 'string', def: "''", orEmptyEnum: SCENARIOS },
		str('intent', 128),
		{ name: 'is_complaint', type: 'boolean', def: '0' },
		{ name: 'outcome', type: 'string', def: "''", orEmptyEnum: OUTCOMES },
		{ name: 'fcr', type: 'boolean', def: 'NULL', nullable: true },
		secs('wait_s'),
		secs('handle_s'),
		secs('first_response_s'),
		{ name: 'csat', type: 'number', def: 'NULL', nullable: true },
		{ name: 'csat_scale_min', type: 'number', def: '1' },
		{ name: 'csat_scale_max', type: 'number', def: '5' },
		{
			name: 'nps',
			type: 'number',
			def: 'NULL',
			nullable: true,
			checks: [
				['v != floor(v)', 'nps: Invalid input: expected int, received number'],
				['v < 0', 'nps: Too small: expected number to be >=0'],
				['v > 10', 'nps: Too big: expected number to be <=10']
			]
		},
		{
			name: 'sentiment',
			type: 'number',
			def: 'NULL',
			nullable: true,
			checks: [
				['v < -1', 'sentiment: Too small: expected number to be >=-1'],
				['v > 1', 'sentiment: Too big: expected number to be <=1']
			]
		},
		str('language', 16),
		str('text', 20_000),
		str('agent', 128),
		str('team', 128),
		str('region', 64),
		str('product', 128),
		str('segment', 64),
		{ name: 'attributes', type: 'map' }
	],
	customer: [
		{ name: 'customer_id', type: 'string', max: 128, min1: true },
		str('source', 64),
		str('name', 256),
		str('email', 256),
		str('phone', 64),
		str('segment', 64),
		str('tier', 64),
		str('region', 64),
		{ name: 'account_opened', type: 'date', def: 'NULL', nullable: true },
		{
			name: 'lifetime_value',
			type: 'number',
			def: '0',
			checks: [['v < 0', 'lifetime_value: Too small: expected number to be >=0']]
		},
		{ name: 'revenue', type: 'number', def: '0', checks: [['v < 0', 'revenue: Too small: expected number to be >=0']] },
		{ name: 'status', type: 'string', def: "'active'", enumOf: ['active', 'churned'] },
		{ name: 'churn_date', type: 'date', def: 'NULL', nullable: true },
		{ name: 'attributes', type: 'map' }
	],
	order: [
		{ name: 'order_id', type: 'string', max: 128, min1: true },
		str('source', 64),
		{ name: 'customer_id', type: 'string', max: 128, min1: true },
		{ name: 'ts', type: 'datetime' },
		{ name: 'amount', type: 'number', checks: [['v < 0', 'amount: Too small: expected number to be >=0']] },
		str('currency', 8),
		str('status', 32),
		{ name: 'channel', type: 'string', def: "''", orEmptyEnum: CHANNELS },
		{
			name: 'items',
			type: 'number',
			def: '1',
			checks: [
				['v != floor(v)', 'items: Invalid input: expected int, received number'],
				['v < 0', 'items: Too small: expected number to be >=0']
			]
		},
		str('product', 128),
		{ name: 'attributes', type: 'map' }
	]
};

const STAGE_TYPES: Record<FieldType | 'map', string> = {
	string: 'Nullable(String)',
	number: 'Nullable(Float64)',
	integer: 'Nullable(Float64)',
	boolean: 'Nullable(UInt8)',
	datetime: "Nullable(DateTime64(3, 'UTC'))",
	date: 'Nullable(Date)',
	map: 'Map(String, String)'
};

/** The stage's canonical columns for an entity (what the loader copies into the table). */
export function canonicalColumns(entity: EntityKind): string[] {
	return CANON[entity].map((f) => f.name);
}

/** Raw source values by path: JSON paths parsed once per line into a tuple; CSV by header position. */
class Sources {
	private readonly tree = new Map<string, unknown>();
	private readonly extra: string[] = [];
	constructor(private readonly spec: SourceSpec) {}

	/** A Nullable(String) expression for one `from` path. */
	value(path: string): string {
		if (this.spec.format === 'csv') {
			const i = this.spec.header!.indexOf(path);
			// A column the file lacks: NULL for every row, as a column — as a constant, ClickHouse
			// folds the expressions built on it and then cannot find their aliases (a CSV without
			// the mapped time column failed the whole file instead of quarantining its rows).
			return i === -1 ? "materialize(CAST(NULL, 'Nullable(String)'))" : `_f[${i + 1}]`;
		}
		const parts = path.split('.');
		if (parts.some((p) => p.includes('`') || p === '')) fail(`field path "${path}" cannot be compiled`);
		const at = parts.findIndex((p) => /^\d+$/.test(p));
		// An array index: the array is taken as raw JSON text and indexed by a second, small parse.
		const head = at === -1 ? parts : parts.slice(0, at);
		if (head.length === 0) fail(`field path "${path}" starts with an index`);
		let node = this.tree;
		for (let i = 0; i < head.length; i++) {
			const leaf = i === head.length - 1;
			const cur = node.get(head[i]!);
			if (leaf) {
				if (cur instanceof Map) fail(`field path "${path}" is both a value and an object`);
				node.set(head[i]!, true);
			} else {
				if (cur === true) fail(`field path "${path}" is both a value and an object`);
				if (!cur) node.set(head[i]!, new Map());
				node = node.get(head[i]!) as Map<string, unknown>;
			}
		}
		const el = head.reduce((acc, p) => `tupleElement(${acc}, ${sqlString(p)})`, '_j');
		if (at === -1) return el;
		const rest = parts.slice(at).map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : sqlString(p)));
		return `JSONExtract(ifNull(${el}, ''), ${rest.join(', ')}, 'Nullable(String)')`;
	}

	/**
	 * TRUE where some extracted value is not NULL — proof the line parsed: JSONExtract parses the
	 * whole line first and gives every value NULL when it does not parse. FALSE with no paths.
	 */
	someValue(): string {
		const leaves = (node: Map<string, unknown>, at: string): string[] =>
			[...node].flatMap(([k, v]) => {
				const el = `tupleElement(${at}, ${sqlString(k)})`;
				return v === true ? [el] : leaves(v as Map<string, unknown>, el);
			});
		const all = leaves(this.tree, '_j');
		return all.length ? `(${all.map((e) => `isNotNull(${e})`).join(' OR ')})` : '0';
	}

	private tupleType(node: Map<string, unknown>): string {
		return `Tuple(${[...node].map(([k, v]) => `\`${k}\` ${v === true ? 'Nullable(String)' : this.tupleType(v as Map<string, unknown>)}`).join(', ')})`;
	}

	/** The outer SELECT's first columns: the parsed JSON object (the CSV fields come from `inner`). */
	prelude(): string[] {
		if (this.spec.format === 'csv') return [];
		const type = this.tree.size ? this.tupleType(this.tree) : 'Tuple(`_` Nullable(String))';
		return [`JSONExtract(_l, ${sqlString(type)}) AS _j`, ...this.extra];
	}

	/**
	 * The inner SELECT over the file: line number, the line without its CR and, for CSV, its split
	 * fields — computed once there, where an alias in the outer SELECT is expanded at every use
	 * (the split is large enough that a many-field mapping passed ClickHouse's query-tree limit).
	 */
	inner(): string[] {
		const line = "if(endsWith(line, '\\r'), substring(line, 1, length(line) - 1), line) AS _l";
		// NDJSON: a byte-order mark opening the file is not part of the first record (readNdjson).
		// Looked for only when the file has one: the test copied every line (0.12 CPU-s per 1M tickets).
		if (this.spec.format === 'ndjson')
			return [
				'_row_number AS _rn',
				this.spec.bom
					? "if(_row_number = 0 AND startsWith(line, '\\xEF\\xBB\\xBF'), substring(line, 4), line) AS _b"
					: 'line AS _b',
				"if(endsWith(_b, '\\r'), substring(_b, 1, length(_b) - 1), _b) AS _l"
			];
		const d = this.spec.delimiter ?? ',';
		const dq = d.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
		// Unquoted lines (nearly all) split on the delimiter. A well-formed quoted line (every quote
		// opens or closes a whole field) has the delimiters inside its quotes masked by \x01 — the
		// text between quotes is every other piece of a split on '"' — then splits the same way: a
		// third of the CPU of the regex that keeps "a,b" whole (1M call-center lines, a third of them
		// quoted: 0.75 CPU-s against 1.75, same fields). Any other quoted line takes that regex.
		// Either way each quoted field is then unquoted ("" → ").
		const field = `(?:[^"${dq}]*|"(?:[^"]|"")*")`;
		const unquote = `if(startsWith(x, '"'), replaceAll(substring(x, 2, length(x) - 2), '""', '"'), x)`;
		// A field such as "x"y (text after the closing quote) is x then y, as the JS reader reads it.
		const quoted = sqlString('^"((?:[^"]|"")*)"');
		const unquoteLoose = `if(startsWith(x, '"'), concat(replaceAll(extract(x, ${quoted}), '""', '"'), replaceRegexpOne(x, ${quoted}, '')), x)`;
		const mask = sqlString('\u0001');
		const masked = `arrayStringConcat(arrayMap((p, i) -> if(i % 2 = 0, replaceAll(p, ${sqlString(d)}, ${mask}), p),
				splitByChar('"', _l), arrayEnumerate(splitByChar('"', _l))), '"')`;
		const fields = `multiIf(position(_l, '"') = 0, splitByChar(${sqlString(d)}, _l),
			position(_l, ${mask}) = 0 AND match(_l, ${sqlString(`^${field}(?:${dq}${field})*$`)}),
				arrayMap(x -> replaceAll(${unquote}, ${mask}, ${sqlString(d)}), splitByChar(${sqlString(d)}, ${masked})),
			arrayMap(x -> ${unquoteLoose}, extractAll(concat(${sqlString(d)}, _l), ${sqlString(`${dq}("(?:[^"]|"")*"[^${dq}]*|[^${dq}]*)`)})))`;
		return ['_row_number AS _rn', line, `${fields} AS _f`];
	}
}

/** The reason of an NDJSON line ClickHouse cannot parse (fast-ingest.ts words it as JS does). */
export const UNPARSED = 'invalid JSON: the line does not parse';

/** Compiles a mapping for a source; `{ ok: false }` when the JS path must run instead. */
export function compileSqlMapping(mapping: Mapping, spec: SourceSpec): SqlMapping {
	try {
		return compile(mapping, spec);
	} catch (err) {
		if (err && typeof err === 'object' && 'why' in err) return { ok: false, why: (err as Unsupported).why };
		throw err;
	}
}

function literal(v: string | number | boolean | null): string {
	return v === null ? 'NULL' : sqlString(String(v));
}

function compile(mapping: Mapping, spec: SourceSpec): SqlMapping {
	const { trim, blank } = spec.spaces ? JS_TRIM : BYTE_TRIM;
	/** A source value counts only when it is not blank (ingest/mapping.ts `isEmpty`). */
	const nonEmpty = (e: string) => `if(${blank(`ifNull(${e}, '')`)}, NULL, ${e})`;
	const src = new Sources(spec);
	const canon = CANON[mapping.entity];
	const canonTypes = CANONICAL_TYPES[mapping.entity];
	const exprs: string[] = [];
	const errors: string[] = [];
	/** canonical field → Nullable typed expression (undefined when the mapping leaves it unset). */
	const mapped = new Map<string, string>();
	/** canonical field → its source value when the field's map has no entry for it, else NULL. */
	const unmapped = new Map<string, string>();
	const attributes: [string, string][] = [];
	let n = 0;
	for (const [field, rule] of Object.entries(mapping.fields)) {
		const r = typeof rule === 'string' ? undefined : rule;
		const from = typeof rule === 'string' ? [rule] : Array.isArray(rule.from) ? rule.from : [rule.from];
		const attribute = field.startsWith('attributes.') ? field.slice('attributes.'.length) : undefined;
		if (!attribute && !canon.some((c) => c.name === field && c.name !== 'attributes')) continue; // zod strips unknown keys: so does the stage.
		const type: FieldType = attribute ? 'string' : (r?.type ?? canonTypes[field] ?? 'string');
		if (!attribute && type !== (canonTypes[field] ?? 'string'))
			fail(`${field}: type ${type} differs from the canonical type`);
		const raws = from.map((p) => nonEmpty(src.value(p)));
		const base =
			r?.join !== undefined
				? `nullIf(arrayStringConcat(arrayMap(x -> assumeNotNull(x), arrayFilter(x -> isNotNull(x), [${raws.join(', ')}])), ${sqlString(r.join)}), '')`
				: raws.length === 1
					? raws[0]!
					: `coalesce(${raws.join(', ')})`;
		const def = r?.default === undefined ? 'NULL' : literal(r.default);
		const id = n++;
		let v: string;
		if (r?.map) {
			const entries = Object.entries(r.map);
			const keys = entries.map(([k]) => k.trim().toLowerCase());
			const vals = entries.map(([, x]) => (x === null ? MAPPED_NULL : String(x)));
			exprs.push(
				`transform(lowerUTF8(${trim(`ifNull(${base}, '')`)}), ${sqlArray(keys)}, ${sqlArray(vals)}, ${sqlString(UNMAPPED)}) AS _m${id}`
			);
			v = `multiIf(isNull(${base}), ${def}, _m${id} = ${sqlString(UNMAPPED)}, ${def}, _m${id} = ${sqlString(MAPPED_NULL)}, NULL, _m${id})`;
			if (r.default === undefined && !attribute)
				unmapped.set(field, `if(isNotNull(${base}) AND _m${id} = ${sqlString(UNMAPPED)}, ${base}, NULL)`);
		} else v = r?.default === undefined ? base : `coalesce(${base}, ${def})`;
		exprs.push(`${v} AS _v${id}`);
		const label = sqlString(field);
		let typed: string;
		let error = "''";
		switch (type) {
			case 'string':
				typed = `_v${id}`;
				break;
			case 'number':
			case 'integer': {
				const num = `toFloat64OrNull(${trim(`_v${id}`)})`;
				exprs.push(`if(isFinite(ifNull(${num}, nan)), ${num}, NULL) AS _n${id}`);
				const scaled = r?.multiply ? `_n${id} * ${Number(r.multiply)}` : `_n${id}`;
				typed = type === 'integer' ? `floor(${scaled} + 0.5)` : scaled;
				error = `if(isNotNull(_v${id}) AND isNull(_n${id}), concat(${label}, ': "', _v${id}, '" is not a number'), '')`;
				break;
			}
			case 'boolean': {
				const low = `lowerUTF8(${trim(`ifNull(_v${id}, '')`)})`;
				exprs.push(
					`multiIf(${low} IN (${TRUE.map(sqlString).join(', ')}), 1, ${low} IN (${FALSE.map(sqlString).join(', ')}), 0, NULL) AS _b${id}`
				);
				typed = `_b${id}`;
				error = `if(isNotNull(_v${id}) AND isNull(_b${id}), concat(${label}, ': "', _v${id}, '" is not a yes/no value'), '')`;
				break;
			}
			case 'datetime':
			case 'date': {
				if (r?.format !== undefined && !SQL_FORMATS.has(r.format))
					fail(`${field}: Luxon format "${r.format}" has no SQL equivalent`);
				const zone = sqlString(r?.timezone ?? 'UTC');
				const s = trim(`ifNull(_v${id}, '')`);
				const epoch = `match(${s}, ${sqlString(EPOCH_RE)}), fromUnixTimestamp64Milli(toInt64(if(toFloat64(${s}) > 1e11, toFloat64(${s}), toFloat64(${s}) * 1000)), 'UTC'), `;
				exprs.push(
					`multiIf(isNull(_v${id}), NULL, ${epoch}match(${s}, ${sqlString(ISO_RE)}), parseDateTime64BestEffortOrNull(${s}, 3, ${zone}), NULL) AS _t${id}`
				);
				typed = type === 'date' ? `toDate(_t${id}, ${zone})` : `toTimeZone(_t${id}, 'UTC')`;
				error = `if(isNotNull(_v${id}) AND isNull(_t${id}), concat(${label}, ': "', _v${id}, '" is not a valid ${type}'), '')`;
				break;
			}
		}
		errors.push(error);
		if (attribute !== undefined) attributes.push([attribute, `_v${id}`]);
		else mapped.set(field, typed);
	}

	// Canonical values: mapped value, else constant, else the schema's default (NULL = required).
	const outs: string[] = [];
	const checks: string[] = [];
	let refine = "''";
	for (const c of canon) {
		if (c.type === 'map') {
			const pairs = attributes.map(([k, e]) => `tuple(${sqlString(k)}, ${e})`);
			outs.push(
				pairs.length
					? `arrayFilter(x -> isNotNull(x.2), [${pairs.join(', ')}]) AS _a, CAST(mapFromArrays(arrayMap(x -> x.1, _a), arrayMap(x -> assumeNotNull(x.2), _a)), 'Map(String, String)') AS attributes`
					: `CAST(map(), 'Map(String, String)') AS attributes`
			);
			continue;
		}
		const constant = mapping.constants?.[c.name];
		let constSql: string | undefined;
		if (c.name === 'source') constSql = sqlString(mapping.name);
		else if (constant !== undefined) {
			const ok =
				constant === null
					? c.nullable
					: c.type === 'string'
						? typeof constant === 'string'
						: c.type === 'number'
							? typeof constant === 'number'
							: c.type === 'boolean'
								? typeof constant === 'boolean'
								: typeof constant === 'string' && c.type === 'date' && /^\d{4}-\d\d-\d\d$/.test(constant);
			if (!ok) fail(`constant ${c.name} does not have the canonical type`);
			constSql =
				constant === null
					? 'NULL'
					: c.type === 'boolean'
						? constant
							? '1'
							: '0'
						: c.type === 'number'
							? String(constant)
							: c.type === 'date'
								? `toDate(${sqlString(constant as string)})`
								: sqlString(String(constant));
		}
		const fallback = constSql ?? c.def ?? 'NULL';
		const m = c.name === 'source' ? undefined : mapped.get(c.name);
		let value = m ? `coalesce(${m}, ${fallback})` : fallback;
		// zod trims text fields, not enum ones (' phone ' is refused there, and so here).
		if (c.type === 'string' && !c.enumOf && !c.orEmptyEnum) value = trim(value);
		// Typed, so an all-NULL column is still a column (Nullable(Nothing) cannot be stored).
		outs.push(`CAST(${value}, ${sqlString(STAGE_TYPES[c.type])}) AS ${c.name}`);
		const v = c.name;
		const required = c.def === undefined && constSql === undefined;
		// A check that fails where the field's source value is missing from its map says that
		// instead (as mapRecord does): the fix is the map's entry. Evaluated only where it fails.
		const miss = unmapped.get(c.name);
		const check = (cond: string, message: string) =>
			checks.push(
				`if(${cond}, ${miss ? `if(isNotNull(${miss}), concat(${sqlString(`${c.name}: no mapping for "`)}, assumeNotNull(${miss}), '"'), ${sqlString(message)})` : sqlString(message)}, '')`
			);
		if (c.type === 'string') {
			if (required && !c.enumOf) check(`isNull(${v})`, `${c.name}: Invalid input: expected string, received undefined`);
			if (c.min1) check(`${v} = ''`, `${c.name}: Too small: expected string to have >=1 characters`);
			if (c.max)
				check(
					`lengthUTF8(ifNull(${v}, '')) > ${c.max}`,
					`${c.name}: Too big: expected string to have <=${c.max} characters`
				);
			// zod's words for a value outside an enum.
			const invalidOption = (options: readonly string[]) =>
				`${c.name}: Invalid option: expected one of ${options.map((e) => `"${e}"`).join('|')}`;
			if (c.enumOf)
				check(
					`ifNull(${v}, '') NOT IN (${c.enumOf.map(sqlString).join(', ')}) OR isNull(${v})`,
					invalidOption(c.enumOf)
				);
			if (c.orEmptyEnum)
				check(`${v} NOT IN ('', ${c.orEmptyEnum.map(sqlString).join(', ')})`, invalidOption([...c.orEmptyEnum, '']));
		} else if (required) {
			const what = c.type === 'number' ? 'number' : 'string';
			check(`isNull(${v})`, `${c.name}: Invalid input: expected ${what}, received undefined`);
		}
		for (const [cond, msg] of c.checks ?? [])
			check(`isNotNull(${v}) AND ${cond.replace(/\bv\b/g, `assumeNotNull(${v})`)}`, msg);
		if (c.name === 'csat' && mapping.entity === 'interaction')
			refine = `if(isNotNull(csat) AND (assumeNotNull(csat) < csat_scale_min OR assumeNotNull(csat) > csat_scale_max), 'csat: csat is outside its scale', '')`;
	}

	// A second parse of every line (isValidJSON) cost 0.18-0.24 CPU-s per 1M tickets, and trimming
	// every line to see its first character 0.09 (measured): each runs only where it can matter —
	// a line that does not start with '{', or one where no value was extracted. ClickHouse's parser
	// skips a byte-order mark that JSON.parse refuses (one opening the file is cut off before).
	const notObject = `NOT startsWith(trimLeft(_l, ${ASCII_SPACE}), '{')`;
	const parseError =
		spec.format === 'ndjson'
			? `if((NOT startsWith(_l, '{') AND ${notObject}) OR NOT ${src.someValue()},
				if(isValidJSON(_l) AND NOT startsWith(_l, '\\xEF\\xBB\\xBF'), if(${notObject}, 'line is not a JSON object', ''), ${sqlString(UNPARSED)}), '')`
			: `if(length(_f) != ${spec.header!.length}, concat('expected ${spec.header!.length} fields, found ', toString(length(_f))), '')`;
	const conv = errors.length
		? `multiIf(${errors.map((e, i) => `(${e} AS _e${i}) != '', _e${i}`).join(', ')}, '')`
		: "''";
	const zod = `arrayStringConcat(arrayFilter(x -> x != '', [${checks.join(',\n\t\t')}]), '; ')`;
	const reason = `multiIf((${parseError} AS _pe) != '', _pe, (${conv} AS _ce) != '', _ce, (${zod} AS _ze) != '', _ze, ${refine})`;
	const raw =
		spec.format === 'ndjson'
			? '_l'
			: `if(length(_f) = ${spec.header!.length}, toJSONString(mapFromArrays(${sqlArray(spec.header!)}, arrayResize(_f, ${spec.header!.length}, ''))), _l)`;
	const select = [
		'_rn + 1 AS ln',
		...(spec.spaces ? [`(${spacesIn('_l', spec.format)}) AS _sp`] : []),
		...src.prelude(),
		...exprs,
		...outs,
		`${reason} AS reason`,
		`if(reason = '', '', ${raw}) AS raw`,
		// A quoted field that spans lines cannot be read line by line: the caller falls back.
		...(spec.format === 'csv' ? ["countSubstrings(_l, '\"') % 2 = 1 AS multiline"] : [])
	].join(',\n\t');
	const skipHeader = '_row_number > 0 AND ';
	return {
		ok: true,
		inner: src.inner().join(',\n\t'),
		select,
		where: spec.format === 'csv' ? `${skipHeader}line NOT IN ('', '\\r')` : `NOT ${BLANK_LINE}`,
		columns: ['ln', 'reason', 'raw', ...canon.map((c) => c.name), ...(spec.format === 'csv' ? ['multiline'] : [])]
	};
}
