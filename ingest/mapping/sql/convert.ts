/**
 * Why this exists: one field of a mapping as SQL, read as the JS path reads it (semantics.ts, in
 * the steps rule-plan.ts lays out): the first non-blank source value (or all of them joined, or a
 * fixed date, or a condition's branch), looked up in the field's `map`, else its `default`,
 * converted to the type it is read as, then computed (a span of time, a difference, a comparison,
 * text around it) — and beside it the conversion error the JS path gives for a value that is not
 * one.
 */
import {
	BOOLEAN_WORDS,
	conversionError,
	EPOCH,
	EPOCH_MILLIS_ABOVE,
	ISO_FORMATS,
	ISO_SHAPE,
	lookupKey,
	sqlDecimal,
	sqlNumberText,
	type FieldType
} from '../semantics';
import { SHIFT_UNITS, type Branch, type RulePlan } from '../rule-plan';
import { fail, sqlArray, sqlScalar, sqlString, sqlWords } from './literal';
import type { Sources } from './source-values';
import type { Trim } from './trim';

/** A map's answer for a value it has no entry for, and for an entry mapped to null. */
const UNMAPPED = '\u0001';
const MAPPED_NULL = '\u0002';

export interface CompiledField {
	/** Aliased expressions the field needs, in order, for the outer SELECT. */
	exprs: string[];
	/** What an attribute keeps, Nullable(String): the mapped text, or the computed value as text. */
	text: string;
	/** The value of the type the rule yields, Nullable. */
	typed: string;
	/** '' for a value that converts, else the JS path's reason. */
	error: string;
	/** The source value when the field's map has no entry for it and no default applies, else NULL. */
	unmapped?: string;
}

export interface FieldContext {
	src: Sources;
	trim: Trim;
	/** A number unique to each rule of the mapping (nested ones too), for its aliases. */
	next(): number;
}

/** Compiles one field of the mapping from its plan (rule-plan.ts). */
export function compileField(plan: RulePlan, attribute: boolean, ctx: FieldContext): CompiledField {
	const f = plan.source.kind === 'if' ? compileIf(plan, ctx) : compileRead(plan, attribute, ctx);
	if (!attribute || !plan.computed) return f;
	return { ...f, text: `if(isNull(${f.typed}), NULL, ${asText(f.typed, plan.result)})` };
}

/** A computed value as the JS path keeps it in an attribute (semantics.ts, valueText). */
function asText(e: string, type: FieldType): string {
	switch (type) {
		case 'boolean':
			return `if(assumeNotNull(${e}) = 1, 'true', 'false')`;
		case 'number':
		case 'integer':
			return sqlNumberText(`assumeNotNull(${e})`);
		case 'date':
			return `toString(assumeNotNull(${e}))`;
		case 'datetime':
			return `concat(replace(toString(assumeNotNull(${e})), ' ', 'T'), 'Z')`;
		case 'string':
			return e;
	}
}

interface Converted {
	exprs: string[];
	typed: string;
	error: string;
}

/**
 * A text value (`text`: a Nullable(String) alias) converted to `type` as the rule reads it, with
 * the JS path's reason for one that is not of that type. `tag` makes the aliases unique.
 */
function convertText(text: string, type: FieldType, plan: RulePlan, tag: string, { trim }: Trim): Converted {
	const field = plan.field;
	const exprs: string[] = [];
	const refused = (words: (value: string) => string, parsed: string) =>
		`if(isNotNull(${text}) AND isNull(${parsed}), ${sqlWords(words, text)}, '')`;
	switch (type) {
		case 'string':
			return { exprs, typed: text, error: "''" };
		case 'number':
		case 'integer': {
			const num = sqlDecimal(trim(text));
			exprs.push(`if(isFinite(ifNull(${num}, nan)), ${num}, NULL) AS _n${tag}`);
			const scaled = plan.multiply ? `_n${tag} * ${Number(plan.multiply)}` : `_n${tag}`;
			return {
				exprs,
				// Math.round: halves up, also below zero.
				typed: type === 'integer' ? `floor(${scaled} + 0.5)` : scaled,
				error: refused((value) => conversionError.number(field, value), `_n${tag}`)
			};
		}
		case 'boolean': {
			const low = `lowerUTF8(${trim(`ifNull(${text}, '')`)})`;
			const words = (xs: readonly string[]) => xs.map(sqlString).join(', ');
			exprs.push(
				`multiIf(${low} IN (${words(BOOLEAN_WORDS.true)}), 1, ${low} IN (${words(BOOLEAN_WORDS.false)}), 0, NULL) AS _b${tag}`
			);
			return { exprs, typed: `_b${tag}`, error: refused((value) => conversionError.boolean(field, value), `_b${tag}`) };
		}
		case 'datetime':
		case 'date': {
			if (plan.format !== undefined && !ISO_FORMATS.has(plan.format))
				fail(`${field}: Luxon format "${plan.format}" has no SQL equivalent`);
			const zone = sqlString(plan.timezone ?? 'UTC');
			const s = trim(`ifNull(${text}, '')`);
			const epoch = `match(${s}, ${sqlString(EPOCH.source)}), fromUnixTimestamp64Milli(toInt64(if(toFloat64(${s}) > ${EPOCH_MILLIS_ABOVE}, toFloat64(${s}), toFloat64(${s}) * 1000)), 'UTC'), `;
			exprs.push(
				`multiIf(isNull(${text}), NULL, ${epoch}match(${s}, ${sqlString(ISO_SHAPE)}), parseDateTime64BestEffortOrNull(${s}, 3, ${zone}), NULL) AS _t${tag}`
			);
			return {
				exprs,
				typed: type === 'date' ? `toDate(_t${tag}, ${zone})` : `toTimeZone(_t${tag}, 'UTC')`,
				error: refused((value) => conversionError.time(field, value, type), `_t${tag}`)
			};
		}
	}
}

/** The value of another source field of a computation, text then converted as the rule reads its own. */
function otherField(path: string, type: FieldType, plan: RulePlan, tag: string, ctx: FieldContext): Converted {
	const raw = ctx.src.value(path);
	const text = `_o${tag}`;
	const c = convertText(text, type, plan, tag, ctx.trim);
	return { ...c, exprs: [`if(${ctx.trim.blank(`ifNull(${raw}, '')`)}, NULL, ${raw}) AS ${text}`, ...c.exprs] };
}

/**
 * A fixed value of a rule as a Nullable(String) column. TRICKY: as a constant, ClickHouse folds
 * the expressions built on it and then cannot find their aliases (source-values.ts says the same).
 */
const fixed = (v: string | number | boolean) => `materialize(toNullable(${sqlScalar(v)}))`;

/** Milliseconds since the epoch of a date or datetime, as the JS path's Date.parse gives them. */
const millis = (e: string) => `toUnixTimestamp64Milli(toDateTime64(${e}, 3, 'UTC'))`;

const SQL_COMPARE = { '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

/** A rule reading `from` (or a fixed date): look-up, conversion, then its computations. */
function compileRead(plan: RulePlan, attribute: boolean, ctx: FieldContext): CompiledField {
	const { src, trim } = ctx;
	const { trim: trimmed, blank } = trim;
	const id = ctx.next();
	const s = plan.source;
	let base: string;
	if (s.kind === 'date') base = fixed(s.value);
	else {
		const nonBlank = (e: string) => `if(${blank(`ifNull(${e}, '')`)}, NULL, ${e})`;
		const raws = (s.kind === 'from' ? s.paths : []).map((p) => nonBlank(src.value(p)));
		base =
			s.kind === 'from' && s.join !== undefined
				? `nullIf(arrayStringConcat(arrayMap(x -> assumeNotNull(x), arrayFilter(x -> isNotNull(x), [${raws.join(', ')}])), ${sqlString(s.join)}), '')`
				: raws.length === 1
					? raws[0]!
					: `coalesce(${raws.join(', ')})`;
	}
	const def = plan.default === undefined ? 'NULL' : sqlScalar(plan.default);
	const exprs: string[] = [];
	let unmapped: string | undefined;
	let v: string;
	if (plan.map) {
		const entries = Object.entries(plan.map);
		const keys = entries.map(([k]) => lookupKey(k));
		const vals = entries.map(([, x]) => (x === null ? MAPPED_NULL : String(x)));
		exprs.push(
			`transform(lowerUTF8(${trimmed(`ifNull(${base}, '')`)}), ${sqlArray(keys)}, ${sqlArray(vals)}, ${sqlString(UNMAPPED)}) AS _m${id}`
		);
		v = `multiIf(isNull(${base}), ${def}, _m${id} = ${sqlString(UNMAPPED)}, ${def}, _m${id} = ${sqlString(MAPPED_NULL)}, NULL, _m${id})`;
		if (plan.default === undefined && !attribute)
			unmapped = `if(isNotNull(${base}) AND _m${id} = ${sqlString(UNMAPPED)}, ${base}, NULL)`;
	} else v = plan.default === undefined ? base : `coalesce(${base}, ${def})`;
	const text = `_v${id}`;
	exprs.push(`${v} AS ${text}`);
	// A fixed date is written as ISO, whatever format the rule's source values come in.
	const main = convertText(
		text,
		plan.read,
		s.kind === 'date' ? { ...plan, format: undefined } : plan,
		String(id),
		trim
	);
	exprs.push(...main.exprs);
	const errors = [main.error];
	let typed = main.typed;
	let type = plan.read;

	if (plan.shifts.length) {
		// A span of time: calendar months and days on the wall clock of the rule's zone, then
		// elapsed seconds — as Luxon's plus does (map-record.ts).
		const parts = { months: [] as string[], days: [] as string[], seconds: [] as string[] };
		plan.shifts.forEach((sh, k) => {
			const [key, times] = SHIFT_UNITS[sh.unit];
			let n: string;
			if (typeof sh.by === 'number') n = String(sh.by);
			else {
				const raw = src.value(sh.by);
				const t = `_w${id}_${k}`;
				const num = sqlDecimal(trimmed(`ifNull(${t}, '')`));
				exprs.push(
					`if(${blank(`ifNull(${raw}, '')`)}, NULL, ${raw}) AS ${t}`,
					`if(isFinite(ifNull(${num}, nan)) AND ${num} = floor(${num}), toInt64(${num}), NULL) AS _wn${id}_${k}`
				);
				errors.push(
					`if(isNotNull(${t}) AND isNull(_wn${id}_${k}), ${sqlWords((value) => conversionError.whole(plan.field, value), t)}, '')`
				);
				n = `_wn${id}_${k}`;
			}
			parts[key].push(`${sh.sign * times} * ${n}`);
		});
		const sum = (xs: string[]) => (xs.length ? xs.join(' + ') : '0');
		const zone = sqlString(plan.timezone ?? 'UTC');
		exprs.push(
			plan.read === 'date'
				? `addDays(addMonths(${typed}, ${sum(parts.months)}), ${sum(parts.days)}) AS _s${id}`
				: `toTimeZone(addSeconds(addDays(addMonths(toTimeZone(${typed}, ${zone}), ${sum(parts.months)}), ${sum(parts.days)}), ${sum(parts.seconds)}), 'UTC') AS _s${id}`
		);
		typed = `_s${id}`;
	}
	if (plan.difference) {
		const b = otherField(plan.difference.path, plan.read, plan, `${id}d`, ctx);
		exprs.push(...b.exprs);
		errors.push(b.error);
		const time = plan.read === 'date' || plan.read === 'datetime';
		exprs.push(
			`${time ? `(${millis(typed)} - ${millis(b.typed)}) / 1000 / ${plan.difference.per}` : `${typed} - ${b.typed}`} AS _d${id}`
		);
		typed = `_d${id}`;
		type = 'number';
	}
	if (plan.test) {
		const { op, operand } = plan.test;
		let other: string;
		if ('path' in operand) {
			const b = otherField(operand.path, type, plan, `${id}c`, ctx);
			exprs.push(...b.exprs);
			errors.push(b.error);
			other = b.typed;
		} else {
			// A fixed operand is read as written: no multiply, no format.
			const literal = { ...plan, multiply: undefined, format: undefined };
			const b = convertText(fixed(operand.value), type, literal, `${id}k`, trim);
			exprs.push(...b.exprs);
			other = b.typed;
		}
		const cmp = (a: string, b: string) =>
			type === 'datetime' || type === 'date'
				? `${millis(a)} ${SQL_COMPARE[op]} ${millis(b)}`
				: type === 'string'
					? `lowerUTF8(${trimmed(a)}) ${SQL_COMPARE[op]} lowerUTF8(${trimmed(b)})`
					: `${a} ${SQL_COMPARE[op]} ${b}`;
		exprs.push(
			`if(isNull(${typed}) OR isNull(${other}), NULL, toUInt8(${cmp(`assumeNotNull(${typed})`, `assumeNotNull(${other})`)})) AS _c${id}`
		);
		typed = `_c${id}`;
	}
	if (plan.prefix || plan.suffix) {
		exprs.push(
			`if(isNull(${typed}), NULL, concat(${sqlString(plan.prefix ?? '')}, ${typed}, ${sqlString(plan.suffix ?? '')})) AS _x${id}`
		);
		typed = `_x${id}`;
	}
	// The JS path stops at a field's first conversion error.
	const error =
		errors.length === 1
			? errors[0]!
			: `multiIf(${errors.map((e, i) => `(${e} AS _fe${id}_${i}) != '', _fe${id}_${i}`).join(', ')}, '')`;
	return { exprs, text, typed, error, unmapped };
}

/** A condition: `then` where it holds, `else` where not, the default where its input is empty. */
function compileIf(plan: RulePlan, ctx: FieldContext): CompiledField {
	if (plan.source.kind !== 'if') throw new Error('not a condition');
	const id = ctx.next();
	const cond = compileRead(plan.source.cond, false, ctx);
	const exprs = [...cond.exprs];
	const branch = (b: Branch, tag: string): { typed: string; error: string } => {
		if ('rule' in b) {
			const c = b.rule.source.kind === 'if' ? compileIf(b.rule, ctx) : compileRead(b.rule, false, ctx);
			exprs.push(...c.exprs);
			return c;
		}
		if (b.value === null) return { typed: 'NULL', error: "''" };
		const c = convertText(fixed(b.value), plan.read, plan, `${id}${tag}`, ctx.trim);
		exprs.push(...c.exprs);
		return c;
	};
	const yes = branch(plan.source.then, 'y');
	const no = branch(plan.source.else, 'n');
	const def = plan.default === undefined || plan.default === null ? undefined : branch({ value: plan.default }, 'f');
	const c = `_i${id}`;
	exprs.push(`${cond.typed} AS ${c}`);
	const taken = `multiIf(${c} = 1, ${yes.typed}, ${c} = 0, ${no.typed}, NULL)`;
	const typed = `_iv${id}`;
	exprs.push(`${def ? `coalesce(${taken}, ${def.typed})` : taken} AS ${typed}`);
	// The condition's refusal first; a branch's only where it is taken.
	const error = `multiIf((${cond.error} AS _ie${id}) != '', _ie${id}, ${c} = 1, ${yes.error}, ${c} = 0, ${no.error}, '')`;
	return { exprs, text: typed, typed, error };
}
