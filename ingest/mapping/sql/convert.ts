/**
 * Why this exists: one field of a mapping as SQL, read as the JS path reads it (semantics.ts): the
 * first non-blank source value (or all of them joined), looked up in the field's `map`, else its
 * `default`, then converted to the field's type — and beside it the conversion error the JS path
 * gives for a value that is not one.
 */
import type { FieldRule } from '../../../schemas/mapping';
import {
	BOOLEAN_WORDS,
	conversionError,
	EPOCH,
	EPOCH_MILLIS_ABOVE,
	ISO_FORMATS,
	ISO_SHAPE,
	lookupKey,
	sqlDecimal,
	type FieldType
} from '../semantics';
import { fail, sqlArray, sqlScalar, sqlString, sqlWords } from './literal';
import type { Sources } from './source-values';
import type { Trim } from './trim';

/** A map's answer for a value it has no entry for, and for an entry mapped to null. */
const UNMAPPED = '\u0001';
const MAPPED_NULL = '\u0002';

export interface CompiledField {
	/** Aliased expressions the field needs, in order, for the outer SELECT. */
	exprs: string[];
	/** The mapped value before conversion, Nullable(String) (what an attribute keeps). */
	text: string;
	/** The value converted to its type, Nullable. */
	typed: string;
	/** '' for a value that converts, else the JS path's reason. */
	error: string;
	/** The source value when the field's map has no entry for it and no default applies, else NULL. */
	unmapped?: string;
}

export interface FieldContext {
	src: Sources;
	trim: Trim;
	/** A number unique to the field, for its aliases. */
	id: number;
}

/** Compiles `field` of the mapping (`type` already resolved; attributes are strings). */
export function compileField(
	field: string,
	rule: FieldRule,
	type: FieldType,
	attribute: boolean,
	{ src, trim: { trim, blank }, id }: FieldContext
): CompiledField {
	const r = typeof rule === 'string' ? undefined : rule;
	const from = typeof rule === 'string' ? [rule] : Array.isArray(rule.from) ? rule.from : [rule.from];
	const nonBlank = (e: string) => `if(${blank(`ifNull(${e}, '')`)}, NULL, ${e})`;
	const raws = from.map((p) => nonBlank(src.value(p)));
	const base =
		r?.join !== undefined
			? `nullIf(arrayStringConcat(arrayMap(x -> assumeNotNull(x), arrayFilter(x -> isNotNull(x), [${raws.join(', ')}])), ${sqlString(r.join)}), '')`
			: raws.length === 1
				? raws[0]!
				: `coalesce(${raws.join(', ')})`;
	const def = r?.default === undefined ? 'NULL' : sqlScalar(r.default);
	const exprs: string[] = [];
	let unmapped: string | undefined;
	let v: string;
	if (r?.map) {
		const entries = Object.entries(r.map);
		const keys = entries.map(([k]) => lookupKey(k));
		const vals = entries.map(([, x]) => (x === null ? MAPPED_NULL : String(x)));
		exprs.push(
			`transform(lowerUTF8(${trim(`ifNull(${base}, '')`)}), ${sqlArray(keys)}, ${sqlArray(vals)}, ${sqlString(UNMAPPED)}) AS _m${id}`
		);
		v = `multiIf(isNull(${base}), ${def}, _m${id} = ${sqlString(UNMAPPED)}, ${def}, _m${id} = ${sqlString(MAPPED_NULL)}, NULL, _m${id})`;
		if (r.default === undefined && !attribute)
			unmapped = `if(isNotNull(${base}) AND _m${id} = ${sqlString(UNMAPPED)}, ${base}, NULL)`;
	} else v = r?.default === undefined ? base : `coalesce(${base}, ${def})`;
	const text = `_v${id}`;
	exprs.push(`${v} AS ${text}`);
	const refused = (words: (value: string) => string, parsed: string) =>
		`if(isNotNull(${text}) AND isNull(${parsed}), ${sqlWords(words, text)}, '')`;
	switch (type) {
		case 'string':
			return { exprs, text, typed: text, error: "''", unmapped };
		case 'number':
		case 'integer': {
			const num = sqlDecimal(trim(text));
			exprs.push(`if(isFinite(ifNull(${num}, nan)), ${num}, NULL) AS _n${id}`);
			const scaled = r?.multiply ? `_n${id} * ${Number(r.multiply)}` : `_n${id}`;
			return {
				exprs,
				text,
				// Math.round: halves up, also below zero.
				typed: type === 'integer' ? `floor(${scaled} + 0.5)` : scaled,
				error: refused((value) => conversionError.number(field, value), `_n${id}`),
				unmapped
			};
		}
		case 'boolean': {
			const low = `lowerUTF8(${trim(`ifNull(${text}, '')`)})`;
			const words = (xs: readonly string[]) => xs.map(sqlString).join(', ');
			exprs.push(
				`multiIf(${low} IN (${words(BOOLEAN_WORDS.true)}), 1, ${low} IN (${words(BOOLEAN_WORDS.false)}), 0, NULL) AS _b${id}`
			);
			return {
				exprs,
				text,
				typed: `_b${id}`,
				error: refused((value) => conversionError.boolean(field, value), `_b${id}`),
				unmapped
			};
		}
		case 'datetime':
		case 'date': {
			if (r?.format !== undefined && !ISO_FORMATS.has(r.format))
				fail(`${field}: Luxon format "${r.format}" has no SQL equivalent`);
			const zone = sqlString(r?.timezone ?? 'UTC');
			const s = trim(`ifNull(${text}, '')`);
			const epoch = `match(${s}, ${sqlString(EPOCH.source)}), fromUnixTimestamp64Milli(toInt64(if(toFloat64(${s}) > ${EPOCH_MILLIS_ABOVE}, toFloat64(${s}), toFloat64(${s}) * 1000)), 'UTC'), `;
			exprs.push(
				`multiIf(isNull(${text}), NULL, ${epoch}match(${s}, ${sqlString(ISO_SHAPE)}), parseDateTime64BestEffortOrNull(${s}, 3, ${zone}), NULL) AS _t${id}`
			);
			return {
				exprs,
				text,
				typed: type === 'date' ? `toDate(_t${id}, ${zone})` : `toTimeZone(_t${id}, 'UTC')`,
				error: refused((value) => conversionError.time(field, value, type), `_t${id}`),
				unmapped
			};
		}
	}
}
