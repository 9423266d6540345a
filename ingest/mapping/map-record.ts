/**
 * Why this exists: the JS path's mapper — applies a declarative mapping (schemas/mapping.ts) to one
 * raw source record and validates the result against the canonical zod schema. It never throws on
 * bad data: it returns a reason a person can read, which is stored in quarantine beside the raw
 * payload. How a value is read is semantics.ts's; the SQL path reads it the same way.
 */
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { ENTITY_SCHEMAS, type EntityKind } from '../../schemas/entities';
import { LINE_FIELD, type Comparison, type Mapping } from '../../schemas/mapping';
import { CANONICAL_TYPES } from './canonical';
import { planRule, SHIFT_UNITS, type Branch, type RulePlan } from './rule-plan';
import {
	BOOLEAN_WORDS,
	conversionError,
	DECIMAL,
	EPOCH,
	EPOCH_MILLIS_ABOVE,
	fieldReason,
	isBlank,
	luxonFormat,
	lookupKey,
	REASON_SEPARATOR,
	valueText,
	type FieldType
} from './semantics';

export type MapResult<T> = { ok: true; value: T } | { ok: false; reason: string };

type Scalar = string | number | boolean | null;

type Getter = (raw: Record<string, unknown>, line: number | undefined) => unknown;

function getter(path: string): Getter {
	if (path === LINE_FIELD) return (_raw, line) => line;
	const parts = path.split('.');
	if (parts.length === 1) return (raw) => raw[path];
	return (raw) => {
		if (path in raw) return raw[path];
		let cur: unknown = raw;
		for (const part of parts) {
			if (cur === null || typeof cur !== 'object') return undefined;
			cur = (cur as Record<string, unknown>)[part];
		}
		return cur;
	};
}

class FieldError extends Error {}

const TRUE: ReadonlySet<string> = new Set(BOOLEAN_WORDS.true);
const FALSE: ReadonlySet<string> = new Set(BOOLEAN_WORDS.false);
/** ISO 8601 with an explicit offset: `Date` parses it exactly and much faster than Luxon. */
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;
/** `2025-03-04 10:00:00` / `2025-03-04T10:00:00` without an offset, which `Date` reads as Luxon does. */
const SQL_LOCAL = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/;
/** `Date.parse` rolls 2025-02-30 over to 2 March: the day must exist in its month. */
function dayExists(iso: string): boolean {
	const [y, m, d] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
	return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

interface CompiledRule {
	field: string;
	attribute: string | undefined;
	plan: RulePlan;
	get: Getter[];
	map: Map<string, Scalar> | undefined;
	/** The fixed `date` of the rule, or a then / else value, converted once. */
	cond?: { rule: CompiledRule; then: CompiledRule | Scalar; else: CompiledRule | Scalar };
}

/** Converts a looked-up value to `type` as the rule reads it (multiply, format, timezone). */
function convert(value: Scalar, type: FieldType, plan: RulePlan): Scalar {
	if (value === null) return null;
	const { field } = plan;
	switch (type) {
		case 'string':
			return String(value);
		case 'number':
		case 'integer': {
			const s = String(value).trim();
			const n = typeof value === 'number' ? value : DECIMAL.test(s) ? Number(s) : NaN;
			if (!Number.isFinite(n)) throw new FieldError(conversionError.number(field, String(value)));
			const scaled = plan.multiply ? n * plan.multiply : n;
			return type === 'integer' ? Math.round(scaled) : scaled;
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			const s = lookupKey(String(value));
			if (TRUE.has(s)) return true;
			if (FALSE.has(s)) return false;
			throw new FieldError(conversionError.boolean(field, String(value)));
		}
		case 'datetime':
		case 'date': {
			const zone = plan.timezone ?? 'UTC';
			const format = luxonFormat(plan.format);
			const s = String(value).trim();
			// Shortcuts for the common shapes: Luxon's parser is slow.
			if (type === 'datetime' && typeof value === 'string' && format === undefined) {
				let t = NaN;
				if (ISO_WITH_OFFSET.test(s)) t = Date.parse(s);
				else if (zone === 'UTC' && SQL_LOCAL.test(s)) t = Date.parse(`${s.replace(' ', 'T')}Z`);
				if (Number.isFinite(t) && dayExists(s)) return new Date(t).toISOString();
			}
			const epoch = (typeof value === 'number' || format === undefined) && EPOCH.test(s) ? Number(s) : undefined;
			let dt =
				epoch !== undefined
					? DateTime.fromMillis(epoch > EPOCH_MILLIS_ABOVE ? epoch : epoch * 1000, { zone })
					: format !== undefined
						? DateTime.fromFormat(s, format, { zone })
						: DateTime.fromISO(s, { zone, setZone: true });
			if (!dt.isValid && format === undefined) dt = DateTime.fromSQL(s, { zone });
			// Luxon reads a time alone (10:00:00, T10:00) as that time today: a date is required.
			if (!dt.isValid || (epoch === undefined && format === undefined && !/^\d{4}/.test(s)))
				throw new FieldError(conversionError.time(field, String(value), type));
			return type === 'date' ? dt.toISODate() : dt.toUTC().toISO();
		}
	}
}

/** The first non-blank source value (or all of them joined), objects as JSON; undefined when blank. */
function read(raw: Record<string, unknown>, c: CompiledRule, line: number | undefined): Scalar | undefined {
	let value: unknown;
	const join = c.plan.source.kind === 'from' ? c.plan.source.join : undefined;
	if (join !== undefined) {
		const parts = c.get.map((get) => get(raw, line)).filter((v) => !isBlank(v));
		value = parts.length
			? parts.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(join)
			: undefined;
	} else
		for (const get of c.get) {
			value = get(raw, line);
			if (!isBlank(value)) break;
		}
	if (typeof value === 'object' && value !== null) value = JSON.stringify(value);
	return isBlank(value) ? undefined : (value as Scalar);
}

/** Another source field of a computation, read as the rule reads its own value; undefined when blank. */
function other(raw: Record<string, unknown>, path: string, type: FieldType, c: CompiledRule, line: number | undefined) {
	const v = getter(path)(raw, line);
	if (isBlank(v)) return undefined;
	return convert(typeof v === 'object' ? JSON.stringify(v) : (v as Scalar), type, c.plan);
}

/** A whole number of a span of time; undefined when its source field is blank. */
function whole(raw: Record<string, unknown>, by: number | string, c: CompiledRule, line: number | undefined) {
	if (typeof by === 'number') return by;
	const v = getter(by)(raw, line);
	if (isBlank(v)) return undefined;
	const s = String(v).trim();
	const n = typeof v === 'number' ? v : DECIMAL.test(s) ? Number(s) : NaN;
	if (!Number.isInteger(n)) throw new FieldError(conversionError.whole(c.field, String(v)));
	return n;
}

const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
	'=': (a, b) => a === b,
	'!=': (a, b) => a !== b,
	'<': (a, b) => a < b,
	'<=': (a, b) => a <= b,
	'>': (a, b) => a > b,
	'>=': (a, b) => a >= b
};

/** A value as what comparisons and differences compare: a number, time in ms, or the lookup key of a text. */
const comparable = (v: Scalar, type: FieldType): number | string =>
	type === 'datetime' || type === 'date' ? Date.parse(String(v)) : type === 'string' ? lookupKey(String(v)) : Number(v);

/** The computations of a rule on its converted value (rule-plan.ts): shift, difference, test, text. */
function compute(
	v: Scalar,
	raw: Record<string, unknown>,
	c: CompiledRule,
	line: number | undefined
): Scalar | undefined {
	const { plan } = c;
	if (plan.shifts.length) {
		const by = { months: 0, days: 0, seconds: 0 };
		for (const s of plan.shifts) {
			const n = whole(raw, s.by, c, line);
			if (n === undefined) return undefined;
			const [key, times] = SHIFT_UNITS[s.unit];
			by[key] += s.sign * n * times;
		}
		const dt = DateTime.fromISO(String(v), { zone: plan.timezone ?? 'UTC' }).plus(by);
		v = plan.read === 'date' ? dt.toISODate() : dt.toUTC().toISO();
	}
	if (plan.difference) {
		const b = other(raw, plan.difference.path, plan.read, c, line);
		if (b === undefined || b === null) return undefined;
		const a = comparable(v, plan.read) as number;
		v =
			plan.read === 'date' || plan.read === 'datetime'
				? (a - (comparable(b, plan.read) as number)) / 1000 / plan.difference.per
				: a - Number(b);
	}
	if (plan.test) {
		const { op, operand, type } = plan.test;
		// A fixed operand is read as written: no multiply, no format.
		const literal = { ...plan, multiply: undefined, format: undefined };
		const b = 'path' in operand ? other(raw, operand.path, type, c, line) : convert(operand.value, type, literal);
		if (b === undefined || b === null) return undefined;
		const x = comparable(v, type);
		const y = comparable(b, type);
		v = typeof x === 'string' ? (op === '=') === (x === y) : COMPARE[op](x, y as number);
	}
	if (plan.prefix || plan.suffix) v = `${plan.prefix ?? ''}${String(v)}${plan.suffix ?? ''}`;
	return v;
}

/** A branch of a condition: its rule's value, or its fixed value converted to the field's type. */
function branch(b: CompiledRule | Scalar, c: CompiledRule, raw: Record<string, unknown>, line: number | undefined) {
	if (b !== null && typeof b === 'object') return apply(raw, b, line);
	return b === null ? undefined : (convert(b, c.plan.read, c.plan) ?? undefined);
}

/** Maps one field of a record; a canonical field's source value missing from its map goes to `unmapped`. */
function apply(
	raw: Record<string, unknown>,
	c: CompiledRule,
	line: number | undefined,
	unmapped?: Map<string, string>
): Scalar | undefined {
	const { plan } = c;
	if (c.cond) {
		const test = apply(raw, c.cond.rule, line);
		const v =
			test === true
				? branch(c.cond.then, c, raw, line)
				: test === false
					? branch(c.cond.else, c, raw, line)
					: undefined;
		if (v !== undefined && v !== null) return v;
		return plan.default === undefined || plan.default === null
			? undefined
			: (convert(plan.default, plan.read, plan) ?? undefined);
	}
	let v: Scalar | undefined = plan.source.kind === 'date' ? plan.source.value : read(raw, c, line);
	if (v !== undefined && c.map) {
		const source = String(v);
		v = c.map.get(lookupKey(source));
		if (v === undefined && plan.default === undefined && c.attribute === undefined) unmapped?.set(c.field, source);
		// A mapped value is already canonical: only numbers/booleans still need converting.
		if (v !== undefined && plan.read === 'string' && !plan.computed) return v === null ? undefined : String(v);
	}
	if (v === undefined) v = plan.default;
	if (v === undefined || v === null) return undefined;
	// A fixed date is written as ISO, whatever format the rule's source values come in.
	const converted = convert(v, plan.read, plan.source.kind === 'date' ? { ...plan, format: undefined } : plan);
	if (converted === null || !plan.computed) return converted;
	return compute(converted, raw, c, line);
}

const compiled = new WeakMap<Mapping, CompiledRule[]>();

/**
 * Every canonical key, in schema order, set to undefined: records cloned from this template share
 * one object shape, which makes both our writes and zod's reads fast.
 */
const TEMPLATES = Object.fromEntries(
	Object.entries(ENTITY_SCHEMAS).map(([k, schema]) => [
		k,
		Object.fromEntries(Object.keys(schema.shape).map((f) => [f, undefined])) as Record<string, unknown>
	])
) as Record<EntityKind, Record<string, unknown>>;

/** Why a fixed value of a rule (a date, an operand, a branch) cannot be read as `type`, if it cannot. */
export function checkValue(value: string | number | boolean, type: FieldType, plan: RulePlan): string | undefined {
	try {
		convert(value, type, { ...plan, multiply: undefined, format: undefined });
		return undefined;
	} catch (err) {
		if (err instanceof FieldError) return err.message;
		throw err;
	}
}

/** A rule's compiled form: its plan (rule-plan.ts), getters and lookup table, built once. */
function compileRule(field: string, plan: RulePlan): CompiledRule {
	const attribute = field.startsWith('attributes.') ? field.slice('attributes.'.length) : undefined;
	const s = plan.source;
	const fixed = (b: Branch) => ('rule' in b ? compileRule(field, b.rule) : b.value);
	return {
		field,
		attribute,
		plan,
		get: s.kind === 'from' ? s.paths.map(getter) : [],
		map: plan.map ? new Map(Object.entries(plan.map).map(([k, v]) => [lookupKey(k), v])) : undefined,
		cond: s.kind === 'if' ? { rule: compileRule(field, s.cond), then: fixed(s.then), else: fixed(s.else) } : undefined
	};
}

/** Turns a mapping into per-field rules once, so each record costs only the lookups it needs. */
function compile(mapping: Mapping): CompiledRule[] {
	let rules = compiled.get(mapping);
	if (rules) return rules;
	const types = CANONICAL_TYPES[mapping.entity];
	rules = Object.entries(mapping.fields).map(([field, rule]) =>
		compileRule(field, planRule(field, rule, field.startsWith('attributes.') ? undefined : (types[field] ?? 'string')))
	);
	compiled.set(mapping, rules);
	return rules;
}

/** Maps one raw record; `source` is always the mapping's name. */
export function mapRecord<K extends EntityKind>(
	mapping: Mapping & { entity: K },
	raw: Record<string, unknown>,
	line?: number
): MapResult<z.infer<(typeof ENTITY_SCHEMAS)[K]>> {
	const out: Record<string, unknown> = { ...TEMPLATES[mapping.entity], ...mapping.constants };
	const attributes: Record<string, string> = {};
	/** Canonical field → its source value that the field's map has no entry for. */
	const unmapped = new Map<string, string>();
	try {
		for (const c of compile(mapping)) {
			const v = apply(raw, c, line, unmapped);
			if (v === undefined || v === null) continue;
			if (c.attribute !== undefined) attributes[c.attribute] = valueText(v);
			else out[c.field] = v;
		}
	} catch (err) {
		if (err instanceof FieldError) return { ok: false, reason: err.message };
		throw err;
	}
	out.source = mapping.name;
	if (Object.keys(attributes).length) out.attributes = attributes;
	const parsed = ENTITY_SCHEMAS[mapping.entity].safeParse(out);
	if (!parsed.success) {
		return {
			ok: false,
			// A field refused because its source value is missing from its map says so: the fix is
			// that map's entry, not the canonical options zod lists.
			reason: parsed.error.issues
				.map((i) => {
					const field = i.path.length === 1 ? String(i.path[0]) : undefined;
					const value = field === undefined ? undefined : unmapped.get(field);
					return value === undefined
						? fieldReason(i.path.join('.') || 'record', i.message)
						: conversionError.unmapped(field!, value);
				})
				.join(REASON_SEPARATOR)
		};
	}
	return { ok: true, value: parsed.data as z.infer<(typeof ENTITY_SCHEMAS)[K]> };
}
