/**
 * Why this exists: what a canonical record must satisfy — each field's type, default, limits and
 * options, and the words a refusal is given in — is defined once, by the zod schemas in
 * schemas/entities.ts. The JS path validates with those schemas directly. ClickHouse cannot run zod,
 * so this module reads each schema's definition into a plain description the SQL compiler builds
 * its checks from, and takes every message from zod itself by running the check on a value that
 * fails it. A zod construct not described here marks its field unsupported: the compiler then
 * declines the mapping and the JS path runs, so the two paths never disagree silently.
 */
import { z } from 'zod';
import { ENTITY_SCHEMAS, type EntityKind } from '../../schemas/entities';
import type { FieldType } from './semantics';

type Scalar = string | number | boolean | null;

export type FieldCheck = (
	| { rule: 'min_length' | 'max_length'; value: number }
	| { rule: 'min' | 'max'; value: number; inclusive: boolean }
	| { rule: 'integer' }
	| { rule: 'option'; options: readonly string[] }
) & {
	/** zod's words for a value that fails the check. */
	message: string;
	/** zod stops checking the field after this one fails, and runs no object refinement. */
	aborts: boolean;
};

export interface CanonicalField {
	name: string;
	type: FieldType | 'map';
	/** zod's default for a field left unset; undefined when the field is required. */
	default: Scalar | Record<string, string> | undefined;
	nullable: boolean;
	/** zod trims the value before its checks (text fields; enum values are compared as given). */
	trim: boolean;
	/** zod's words for a required field left unset (that aborts too). */
	missing: string;
	/** In zod's order. */
	checks: FieldCheck[];
	/** Why the SQL path cannot check this field the way zod does. */
	unsupported?: string;
}

/** An object-level refine: zod runs it only when no field check aborted. */
export interface Refinement {
	field: string;
	message: string;
}

export interface CanonicalEntity {
	fields: CanonicalField[];
	refinements: Refinement[];
	unsupported?: string;
}

class Undescribed extends Error {}

/** zod's message for `value` under `schema`, which must fail with exactly one issue of `code`. */
function messageOf(schema: z.core.$ZodType, value: unknown, code: string): string {
	const result = z.safeParse(schema, value);
	const issues = result.success ? [] : result.error.issues;
	if (issues.length !== 1 || issues[0]!.code !== code)
		throw new Undescribed(`zod does not refuse ${JSON.stringify(value)} with one ${code} issue`);
	return issues[0]!.message;
}

/**
 * zod's words for `value`, which `schema` (one check alone) refuses with `code`, and whether the
 * refusal stops zod's later checks: a wrong type or value does, and a check declared `abort`.
 */
function refusal(schema: z.core.$ZodType, check: z.core.$ZodCheck, value: unknown, code: string) {
	const aborts = code === 'invalid_type' || code === 'invalid_value' || check._zod.def.abort === true;
	return { message: messageOf(schema, value, code), aborts };
}

function stringChecks(checks: readonly z.core.$ZodCheck[]): { trim: boolean; checks: FieldCheck[] } {
	let trim = false;
	const out: FieldCheck[] = [];
	for (const check of checks) {
		const def = (check as z.core.$ZodChecks)._zod.def;
		const alone = z.string().check(check as z.core.$ZodCheck<string>);
		if (def.check === 'overwrite' && def.tx(' a ') === 'a') trim = true;
		else if (def.check === 'max_length') {
			const too = refusal(alone, check, 'x'.repeat(def.maximum + 1), 'too_big');
			// The SQL path counts characters (code points), as zod does: an emoji is one.
			if (!z.safeParse(alone, '😀'.repeat(def.maximum)).success)
				throw new Undescribed('zod counts string length in UTF-16 units, not characters');
			out.push({ rule: 'max_length', value: def.maximum, ...too });
		} else if (def.check === 'min_length' && def.minimum >= 1) {
			const too = refusal(alone, check, 'x'.repeat(def.minimum - 1), 'too_small');
			out.push({ rule: 'min_length', value: def.minimum, ...too });
		} else throw new Undescribed(`string check ${def.check} has no description`);
	}
	return { trim, checks: out };
}

function numberChecks(checks: readonly z.core.$ZodCheck[]): { integer: boolean; checks: FieldCheck[] } {
	let integer = false;
	const out: FieldCheck[] = [];
	for (const check of checks) {
		const def = (check as z.core.$ZodChecks)._zod.def;
		const alone = z.number().check(check as z.core.$ZodCheck<number>);
		if (def.check === 'number_format' && def.format === 'safeint') {
			integer = true;
			// zod refuses a fraction (and stops there), then an integer beyond the safe range.
			const big = Number.MAX_SAFE_INTEGER;
			out.push(
				{ rule: 'integer', ...refusal(alone, check, 0.5, 'invalid_type') },
				{ rule: 'max', value: big, inclusive: true, ...refusal(alone, check, big * 4, 'too_big') },
				{ rule: 'min', value: -big, inclusive: true, ...refusal(alone, check, -big * 4, 'too_small') }
			);
		} else if (def.check === 'greater_than' || def.check === 'less_than') {
			const value = Number(def.value);
			const min = def.check === 'greater_than';
			const code = min ? 'too_small' : 'too_big';
			const failing = def.inclusive ? (min ? value - 1 : value + 1) : value;
			out.push({ rule: min ? 'min' : 'max', value, inclusive: def.inclusive, ...refusal(alone, check, failing, code) });
		} else throw new Undescribed(`number check ${def.check} has no description`);
	}
	return { integer, checks: out };
}

function noChecks(def: z.core.$ZodTypeDef): void {
	if (def.checks?.length) throw new Undescribed(`checks on a ${def.type} have no description`);
}

/** The type, trim and checks of a field's innermost schema (below its default and nullable). */
function describeValue(schema: z.core.$ZodType): Pick<CanonicalField, 'type' | 'trim' | 'checks'> {
	const def = (schema as z.core.$ZodTypes)._zod.def;
	switch (def.type) {
		case 'string': {
			const format = 'format' in def ? def.format : undefined;
			if (format === 'datetime' || format === 'date') {
				noChecks(def);
				return { type: format, trim: false, checks: [] };
			}
			if (format !== undefined) throw new Undescribed(`string format ${format} has no description`);
			return { type: 'string', ...stringChecks(def.checks ?? []) };
		}
		case 'number': {
			const { integer, checks } = numberChecks(def.checks ?? []);
			return { type: integer ? 'integer' : 'number', trim: false, checks };
		}
		case 'boolean':
			noChecks(def);
			return { type: 'boolean', trim: false, checks: [] };
		case 'enum': {
			noChecks(def);
			const options = Object.values(def.entries).map(String);
			const message = messageOf(schema, '\u0000', 'invalid_value');
			return { type: 'string', trim: false, checks: [{ rule: 'option', options, message, aborts: true }] };
		}
		case 'union': {
			// A value or '' (orEmpty): the same as the value's own schema when that accepts '' too.
			const [value, empty, ...more] = def.options;
			const emptyDef = empty && (empty as z.core.$ZodTypes)._zod.def;
			const described = value && describeValue(value);
			if (
				more.length === 0 &&
				emptyDef?.type === 'literal' &&
				emptyDef.values.length === 1 &&
				emptyDef.values[0] === '' &&
				described?.type === 'string' &&
				!described.checks.some((c) => c.rule === 'min_length' || c.rule === 'option')
			)
				return described;
			throw new Undescribed('a union other than value-or-empty has no description');
		}
		case 'record':
			noChecks(def);
			return { type: 'map', trim: false, checks: [] };
		default:
			throw new Undescribed(`zod type ${def.type} has no description`);
	}
}

function describeField(name: string, schema: z.core.$ZodType): CanonicalField {
	let inner = schema;
	let fallback: CanonicalField['default'];
	let nullable = false;
	for (;;) {
		const def = (inner as z.core.$ZodTypes)._zod.def;
		if (def.type === 'default') {
			fallback = def.defaultValue as CanonicalField['default'];
			inner = def.innerType;
		} else if (def.type === 'nullable') {
			nullable = true;
			inner = def.innerType;
		} else break;
	}
	const field: CanonicalField = {
		name,
		type: 'string',
		default: fallback,
		nullable,
		trim: false,
		missing: '',
		checks: []
	};
	try {
		Object.assign(field, describeValue(inner));
		// zod's words for a required field left unset (an enum lists its options).
		if (fallback === undefined) {
			const r = z.safeParse(schema, undefined);
			field.missing = r.success ? '' : r.error.issues[0]!.message;
		}
	} catch (err) {
		if (!(err instanceof Undescribed)) throw err;
		field.unsupported = `${name}: ${err.message}`;
	}
	return field;
}

/** A canonical schema as a description (exported for tests: a construct it cannot describe). */
export function describeEntity(schema: z.ZodObject): CanonicalEntity {
	const fields = Object.entries(schema.shape).map(([name, s]) => describeField(name, s as z.core.$ZodType));
	const refinements: Refinement[] = [];
	let unsupported: string | undefined;
	for (const check of schema._zod.def.checks ?? []) {
		const def = check._zod.def as z.core.$ZodCheckDef & { path?: PropertyKey[] };
		const message = typeof def.error === 'function' ? def.error(undefined as never) : undefined;
		if (def.check === 'custom' && def.path?.length === 1 && typeof message === 'string')
			refinements.push({ field: String(def.path[0]), message });
		else unsupported = `a ${def.check} check on the whole record has no description`;
	}
	return { fields, refinements, unsupported };
}

/** Every canonical entity's fields, in schema order, and its refinements. */
export const CANONICAL: Record<EntityKind, CanonicalEntity> = {
	customer: describeEntity(ENTITY_SCHEMAS.customer),
	interaction: describeEntity(ENTITY_SCHEMAS.interaction),
	order: describeEntity(ENTITY_SCHEMAS.order)
};

/** Each canonical field's type, so a mapping need not repeat `type` for it. */
export const CANONICAL_TYPES = Object.fromEntries(
	Object.entries(CANONICAL).map(([entity, { fields }]) => [
		entity,
		Object.fromEntries(fields.flatMap((f) => (f.type === 'map' ? [] : [[f.name, f.type]])))
	])
) as Record<EntityKind, Record<string, FieldType>>;
