/**
 * Why this exists: the JS path's mapper — applies a declarative mapping (schemas/mapping.ts) to one
 * raw source record and validates the result against the canonical zod schema. It never throws on
 * bad data: it returns a reason a person can read, which is stored in quarantine beside the raw
 * payload. How a value is read is semantics.ts's; the SQL path reads it the same way.
 */
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { ENTITY_SCHEMAS, type EntityKind } from '../../schemas/entities';
import type { FieldRule, Mapping } from '../../schemas/mapping';
import { CANONICAL_TYPES } from './canonical';
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
	type FieldType
} from './semantics';

export type MapResult<T> = { ok: true; value: T } | { ok: false; reason: string };

type Scalar = string | number | boolean | null;

type Getter = (raw: Record<string, unknown>) => unknown;

function getter(path: string): Getter {
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
	type: FieldType;
	get: Getter[];
	map: Map<string, Scalar> | undefined;
	default: Scalar | undefined;
	rule: Exclude<FieldRule, string> | undefined;
}

function convert(value: Scalar, c: CompiledRule): Scalar {
	if (value === null) return null;
	const { type, rule, field } = c;
	switch (type) {
		case 'string':
			return String(value);
		case 'number':
		case 'integer': {
			const s = String(value).trim();
			const n = typeof value === 'number' ? value : DECIMAL.test(s) ? Number(s) : NaN;
			if (!Number.isFinite(n)) throw new FieldError(conversionError.number(field, String(value)));
			const scaled = rule?.multiply ? n * rule.multiply : n;
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
			const zone = rule?.timezone ?? 'UTC';
			const format = luxonFormat(rule?.format);
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

/** Maps one field of a record; a canonical field's source value missing from its map goes to `unmapped`. */
function apply(raw: Record<string, unknown>, c: CompiledRule, unmapped?: Map<string, string>): Scalar | undefined {
	let value: unknown;
	if (c.rule?.join !== undefined) {
		const parts = c.get.map((get) => get(raw)).filter((v) => !isBlank(v));
		value = parts.length
			? parts.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(c.rule.join)
			: undefined;
	} else
		for (const get of c.get) {
			value = get(raw);
			if (!isBlank(value)) break;
		}
	if (typeof value === 'object' && value !== null) value = JSON.stringify(value);
	let v: Scalar | undefined = isBlank(value) ? undefined : (value as Scalar);
	if (v !== undefined && c.map) {
		const source = String(v);
		v = c.map.get(lookupKey(source));
		if (v === undefined && c.default === undefined && c.attribute === undefined) unmapped?.set(c.field, source);
		// A mapped value is already canonical: only numbers/booleans still need converting.
		if (v !== undefined && c.type === 'string') return v === null ? undefined : String(v);
	}
	if (v === undefined) v = c.default;
	if (v === undefined || v === null) return undefined;
	return convert(v, c);
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

/** Turns a mapping into per-field rules once, so each record costs only the lookups it needs. */
function compile(mapping: Mapping): CompiledRule[] {
	let rules = compiled.get(mapping);
	if (rules) return rules;
	rules = Object.entries(mapping.fields).map(([field, rule]) => {
		const r = typeof rule === 'string' ? undefined : rule;
		const from = typeof rule === 'string' ? [rule] : Array.isArray(rule.from) ? rule.from : [rule.from];
		const attribute = field.startsWith('attributes.') ? field.slice('attributes.'.length) : undefined;
		return {
			field,
			attribute,
			type: attribute ? 'string' : (r?.type ?? CANONICAL_TYPES[mapping.entity][field] ?? 'string'),
			get: from.map(getter),
			map: r?.map ? new Map(Object.entries(r.map).map(([k, v]) => [lookupKey(k), v])) : undefined,
			default: r?.default,
			rule: r
		};
	});
	compiled.set(mapping, rules);
	return rules;
}

/** Maps one raw record; `source` is always the mapping's name. */
export function mapRecord<K extends EntityKind>(
	mapping: Mapping & { entity: K },
	raw: Record<string, unknown>
): MapResult<z.infer<(typeof ENTITY_SCHEMAS)[K]>> {
	const out: Record<string, unknown> = { ...TEMPLATES[mapping.entity], ...mapping.constants };
	const attributes: Record<string, string> = {};
	/** Canonical field → its source value that the field's map has no entry for. */
	const unmapped = new Map<string, string>();
	try {
		for (const c of compile(mapping)) {
			const v = apply(raw, c, unmapped);
			if (v === undefined) continue;
			if (c.attribute !== undefined) attributes[c.attribute] = String(v);
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
