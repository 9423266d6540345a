/**
 * Why this exists: the SQL path lets ClickHouse parse, map and validate a whole file, which costs a
 * fraction of the JS path's CPU a record. This module compiles a declarative mapping
 * (schemas/mapping.ts) into one SELECT over the file's lines: every canonical field as an expression
 * read as the JS path reads it (convert.ts, from semantics.ts), plus ONE `reason` column that is ''
 * for a valid row and otherwise the reason the JS path gives — the line's read error, else the
 * first conversion error, else every check of the canonical schema that fails, in zod's words
 * (canonical-checks.ts).
 *
 * A mapping the compiler cannot express returns `{ ok: false, why }` and the JS path runs instead:
 * Luxon date formats other than the ISO / SQL ones, a `type` that contradicts the canonical type,
 * constants of the wrong type, field names with a backtick, schema rules with no SQL form.
 */
import type { Mapping } from '../../../schemas/mapping';
import { readError } from '../../sources/readers';
import { CANONICAL, CANONICAL_TYPES } from '../canonical';
import { REASON_SEPARATOR } from '../semantics';
import { canonicalSql } from './canonical-checks';
import { fitsType, planRule, RuleError } from '../rule-plan';
import { compileField } from './convert';
import { fail, sqlArray, sqlString, sqlWords, Unsupported } from './literal';
import { Sources, type SourceSpec } from './source-values';
import { ASCII_SPACE, BLANK_LINE, BYTE_TRIM, JS_TRIM, spacesIn } from './trim';

export type { SourceSpec } from './source-values';

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
			 * Select them all: `reason` asked for alone lets ClickHouse evaluate the values its checks
			 * read lazily, branch by branch, many times slower than computing every column once.
			 */
			columns: string[];
	  }
	| { ok: false; why: string };

/** The reason of an NDJSON line ClickHouse cannot parse (the loader words it as JSON.parse does). */
export const UNPARSED = readError.invalidJson('the line does not parse');

/** Compiles a mapping for a source; `{ ok: false }` when the JS path must run instead. */
export function compileSqlMapping(mapping: Mapping, spec: SourceSpec): SqlMapping {
	try {
		return compile(mapping, spec);
	} catch (err) {
		if (err instanceof Unsupported) return { ok: false, why: err.message };
		throw err;
	}
}

function compile(mapping: Mapping, spec: SourceSpec): SqlMapping {
	const trim = spec.spaces ? JS_TRIM : BYTE_TRIM;
	const src = new Sources(spec);
	const canonical = CANONICAL[mapping.entity].fields;
	const canonTypes = CANONICAL_TYPES[mapping.entity];
	const exprs: string[] = [];
	const errors: string[] = [];
	const typed = new Map<string, string>();
	const unmapped = new Map<string, string>();
	const attributes: [string, string][] = [];
	let id = 0;
	const ctx = { src, trim, next: () => id++ };
	for (const [field, rule] of Object.entries(mapping.fields)) {
		const attribute = field.startsWith('attributes.') ? field.slice('attributes.'.length) : undefined;
		// zod strips unknown keys: so does the stage.
		if (!attribute && !canonical.some((c) => c.name === field && c.type !== 'map')) continue;
		let plan;
		try {
			plan = planRule(field, rule, attribute ? undefined : canonTypes[field]);
		} catch (err) {
			if (err instanceof RuleError) fail(err.message);
			throw err;
		}
		if (!attribute && !fitsType(plan.result, canonTypes[field]!))
			fail(`${field}: type ${plan.result} differs from the canonical type`);
		const f = compileField(plan!, attribute !== undefined, ctx);
		exprs.push(...f.exprs);
		errors.push(f.error);
		if (f.unmapped) unmapped.set(field, f.unmapped);
		if (attribute !== undefined) attributes.push([attribute, f.text]);
		else typed.set(field, f.typed);
	}
	const { columns, refusals } = canonicalSql(mapping, { typed, unmapped, attributes, trim: trim.trim });

	// A second parse of a line (isValidJSON), and trimming it to see its first character, each run
	// only where they can matter: a line that does not start with '{', or one where no value was
	// extracted. ClickHouse's parser skips a byte-order mark that JSON.parse refuses (one opening
	// the file is cut off before).
	const notObject = `NOT startsWith(trimLeft(_l, ${ASCII_SPACE}), '{')`;
	const fieldCount = spec.header?.length ?? 0;
	const readFailed =
		spec.format === 'lines'
			? "''"
			: spec.format === 'ndjson'
				? `if((NOT startsWith(_l, '{') AND ${notObject}) OR NOT ${src.someValue()},
				if(isValidJSON(_l) AND NOT startsWith(_l, '\\xEF\\xBB\\xBF'), if(${notObject}, ${sqlString(readError.notAnObject)}, ''), ${sqlString(UNPARSED)}), '')`
				: `if(length(_f) != ${fieldCount}, ${sqlWords((found) => readError.fieldCount(fieldCount, found), 'toString(length(_f))')}, '')`;
	// The JS path stops at a record's first conversion error; zod lists every check that fails.
	const conversion = errors.length
		? `multiIf(${errors.map((e, i) => `(${e} AS _e${i}) != '', _e${i}`).join(', ')}, '')`
		: "''";
	const refused = `arrayStringConcat(arrayFilter(x -> x != '', [${refusals.join(',\n\t\t')}]), ${sqlString(REASON_SEPARATOR)})`;
	const reason = `multiIf((${readFailed} AS _pe) != '', _pe, (${conversion} AS _ce) != '', _ce, ${refused})`;
	const raw =
		spec.format !== 'csv'
			? '_l'
			: `if(length(_f) = ${fieldCount}, toJSONString(mapFromArrays(${sqlArray(spec.header!)}, arrayResize(_f, ${fieldCount}, ''))), _l)`;
	const select = [
		'_rn + 1 AS ln',
		...(spec.spaces ? [`(${spacesIn('_l', spec.format)}) AS _sp`] : []),
		...src.prelude(),
		...exprs,
		...columns,
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
		columns: ['ln', 'reason', 'raw', ...canonical.map((c) => c.name), ...(spec.format === 'csv' ? ['multiline'] : [])]
	};
}
