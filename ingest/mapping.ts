/**
 * Why this exists: applies a declarative mapping (schemas/mapping.ts) to one raw source record and
 * validates the result against the canonical zod schema. It never throws on bad data: it returns a
 * reason a person can read, which the pipeline stores in quarantine beside the raw payload.
 */
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { ENTITY_SCHEMAS, type EntityKind } from '../schemas/entities';
import { MappingSchema, type FieldRule, type Mapping } from '../schemas/mapping';

type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'date';

/** Canonical fields that are not strings, so mappings need not repeat `type` for them. */
const CANONICAL_TYPES: Record<EntityKind, Record<string, FieldType>> = {
	customer: { account_opened: 'date', churn_date: 'date', lifetime_value: 'number', revenue: 'number' },
	interaction: {
		ts: 'datetime',
		is_complaint: 'boolean',
		fcr: 'boolean',
		wait_s: 'number',
		handle_s: 'number',
		first_response_s: 'number',
		csat: 'number',
		csat_scale_min: 'number',
		csat_scale_max: 'number',
		nps: 'integer',
		sentiment: 'number'
	},
	order: { ts: 'datetime', amount: 'number', items: 'integer' }
};

export type MapResult<T> = { ok: true; value: T } | { ok: false; reason: string };

type Scalar = string | number | boolean | null;

export function parseMapping(json: unknown): Mapping {
	return MappingSchema.parse(json);
}

function lookup(raw: Record<string, unknown>, path: string): unknown {
	if (path in raw) return raw[path];
	let cur: unknown = raw;
	for (const part of path.split('.')) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

class FieldError extends Error {}

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f']);

function convert(value: Scalar, type: FieldType, rule: Exclude<FieldRule, string> | undefined, field: string): Scalar {
	if (value === null) return null;
	switch (type) {
		case 'string':
			return String(value);
		case 'number':
		case 'integer': {
			const n = typeof value === 'number' ? value : Number(String(value).trim());
			if (!Number.isFinite(n)) throw new FieldError(`${field}: "${value}" is not a number`);
			const scaled = rule?.multiply ? n * rule.multiply : n;
			return type === 'integer' ? Math.round(scaled) : scaled;
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			const s = String(value).trim().toLowerCase();
			if (TRUE.has(s)) return true;
			if (FALSE.has(s)) return false;
			throw new FieldError(`${field}: "${value}" is not a yes/no value`);
		}
		case 'datetime':
		case 'date': {
			const zone = rule?.timezone ?? 'UTC';
			const s = String(value).trim();
			let dt =
				typeof value === 'number'
					? DateTime.fromMillis(value > 1e11 ? value : value * 1000, { zone })
					: rule?.format
						? DateTime.fromFormat(s, rule.format, { zone })
						: DateTime.fromISO(s, { zone, setZone: true });
			if (!dt.isValid && !rule?.format) dt = DateTime.fromSQL(s, { zone });
			if (!dt.isValid) throw new FieldError(`${field}: "${value}" is not a valid ${type}`);
			return type === 'date' ? dt.toISODate() : dt.toUTC().toISO();
		}
	}
}

function applyRule(raw: Record<string, unknown>, rule: FieldRule, type: FieldType, field: string): Scalar | undefined {
	const r = typeof rule === 'string' ? undefined : rule;
	const sources = typeof rule === 'string' ? [rule] : Array.isArray(rule.from) ? rule.from : [rule.from];
	let value: unknown;
	for (const s of sources) {
		value = lookup(raw, s);
		if (!isEmpty(value)) break;
	}
	if (typeof value === 'object' && value !== null) value = JSON.stringify(value);
	let v: Scalar | undefined = isEmpty(value) ? undefined : (value as Scalar);
	if (v !== undefined && r?.map) {
		const key = String(v).trim().toLowerCase();
		const hit = Object.entries(r.map).find(([k]) => k.toLowerCase() === key);
		v = hit ? hit[1] : undefined;
		// A mapped value is already canonical: only numbers/booleans still need converting.
		if (v !== undefined && type === 'string') return v === null ? undefined : String(v);
	}
	if (v === undefined) v = r?.default;
	if (v === undefined || v === null) return undefined;
	return convert(v, type, r, field);
}

/** Maps one raw record; `source` is always the mapping's name. */
export function mapRecord<K extends EntityKind>(
	mapping: Mapping & { entity: K },
	raw: Record<string, unknown>
): MapResult<z.infer<(typeof ENTITY_SCHEMAS)[K]>> {
	const out: Record<string, unknown> = { ...mapping.constants };
	const attributes: Record<string, string> = {};
	try {
		for (const [field, rule] of Object.entries(mapping.fields)) {
			const type = (typeof rule !== 'string' && rule.type) || CANONICAL_TYPES[mapping.entity][field] || 'string';
			const v = applyRule(raw, rule, field.startsWith('attributes.') ? 'string' : type, field);
			if (v === undefined) continue;
			if (field.startsWith('attributes.')) attributes[field.slice('attributes.'.length)] = String(v);
			else out[field] = v;
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
			reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ')
		};
	}
	return { ok: true, value: parsed.data as z.infer<(typeof ENTITY_SCHEMAS)[K]> };
}
