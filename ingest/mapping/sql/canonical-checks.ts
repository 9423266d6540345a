/**
 * Why this exists: the canonical record of each line, and zod's verdict on it, in SQL. Every column
 * is the mapped value, else the mapping's constant, else the schema's default; every check, default
 * and message comes from the description canonical.ts derives from the zod schemas, so a refusal is
 * worded as the JS path words it and a change to a schema reaches both paths.
 */
import type { EntityKind } from '../../../schemas/entities';
import type { Mapping } from '../../../schemas/mapping';
import { CANONICAL, type CanonicalField, type FieldCheck } from '../canonical';
import { conversionError, fieldReason, type FieldType } from '../semantics';
import { fail, sqlString, sqlWords } from './literal';

/** The stage's column type for each canonical type: Nullable, so "unset" is NULL until checked. */
const STAGE_TYPES: Record<FieldType | 'map', string> = {
	string: 'Nullable(String)',
	number: 'Nullable(Float64)',
	integer: 'Nullable(Float64)',
	boolean: 'Nullable(UInt8)',
	datetime: "Nullable(DateTime64(3, 'UTC'))",
	date: 'Nullable(Date)',
	map: 'Map(String, String)'
};

/**
 * zod's object refinements are functions, which cannot be read: this is the SQL form of each, by
 * entity and field. A refinement without one here sends the mapping to the JS path.
 */
const REFINEMENTS: Partial<Record<EntityKind, Record<string, string>>> = {
	interaction: {
		csat: 'isNotNull(csat) AND (assumeNotNull(csat) < csat_scale_min OR assumeNotNull(csat) > csat_scale_max)'
	}
};

/** TRUE where a non-NULL value `v` fails the check (zod counts a string's code points, as lengthUTF8). */
function failing(check: FieldCheck, v: string): string {
	switch (check.rule) {
		case 'min_length':
			return `lengthUTF8(${v}) < ${check.value}`;
		case 'max_length':
			return `lengthUTF8(${v}) > ${check.value}`;
		case 'min':
			return `${v} ${check.inclusive ? '<' : '<='} ${check.value}`;
		case 'max':
			return `${v} ${check.inclusive ? '>' : '>='} ${check.value}`;
		case 'integer':
			return `${v} != floor(${v})`;
		case 'option':
			return `${v} NOT IN (${check.options.map(sqlString).join(', ')})`;
	}
}

/** A constant of the mapping as SQL of the field's type; unsupported when it is not of that type. */
function constantSql(f: CanonicalField, constant: string | number | boolean | null): string {
	if (constant === null) {
		if (!f.nullable) fail(`constant ${f.name} does not have the canonical type`);
		return 'NULL';
	}
	switch (f.type) {
		case 'string':
			if (typeof constant === 'string') return sqlString(constant);
			break;
		case 'number':
		case 'integer':
			if (typeof constant === 'number') return String(constant);
			break;
		case 'boolean':
			if (typeof constant === 'boolean') return constant ? '1' : '0';
			break;
		case 'date':
			if (typeof constant === 'string' && /^\d{4}-\d\d-\d\d$/.test(constant)) return `toDate(${sqlString(constant)})`;
			break;
	}
	return fail(`constant ${f.name} does not have the canonical type`);
}

/** The schema's default as SQL of the field's type (undefined for a required field). */
function defaultSql(f: CanonicalField): string | undefined {
	const d = f.default;
	if (d === undefined) return undefined;
	if (d === null) return 'NULL';
	if (typeof d === 'boolean') return d ? '1' : '0';
	if (typeof d === 'number') return String(d);
	if (typeof d === 'string') return sqlString(d);
	return fail(`${f.name}: a default of this kind has no SQL form`);
}

export interface CanonicalSql {
	/** The stage's canonical columns, aliased by field name, in schema order. */
	columns: string[];
	/** zod's refusals of the row, '' each where it passes (to be joined in this order). */
	refusals: string[];
}

export interface MappedValues {
	/** Canonical field → its mapped, converted value (absent when the mapping leaves it unset). */
	typed: Map<string, string>;
	/** Canonical field → its source value where its map has no entry for it, else NULL. */
	unmapped: Map<string, string>;
	/** `attributes.NAME` → its mapped text. */
	attributes: [string, string][];
	/** Trims a string expression as JS does (trim.ts). */
	trim: (e: string) => string;
}

/** The canonical columns of a mapping's entity and the checks on them. */
export function canonicalSql(mapping: Mapping, values: MappedValues): CanonicalSql {
	const entity = CANONICAL[mapping.entity];
	if (entity.unsupported) fail(entity.unsupported);
	const columns: string[] = [];
	const refusals: string[] = [];
	/** Conditions of the refusals after which zod runs no object refinement. */
	const aborting: string[] = [];
	for (const f of entity.fields) {
		if (f.unsupported) fail(f.unsupported);
		if (f.type === 'map') {
			const pairs = values.attributes.map(([k, e]) => `tuple(${sqlString(k)}, ${e})`);
			columns.push(
				pairs.length
					? `arrayFilter(x -> isNotNull(x.2), [${pairs.join(', ')}]) AS _a, CAST(mapFromArrays(arrayMap(x -> x.1, _a), arrayMap(x -> assumeNotNull(x.2), _a)), 'Map(String, String)') AS ${f.name}`
					: `CAST(map(), 'Map(String, String)') AS ${f.name}`
			);
			continue;
		}
		const constant = mapping.constants?.[f.name];
		// `source` is always the mapping's name.
		const fixed =
			f.name === 'source' ? sqlString(mapping.name) : constant !== undefined ? constantSql(f, constant) : undefined;
		const fallback = fixed ?? defaultSql(f) ?? 'NULL';
		const mapped = f.name === 'source' ? undefined : values.typed.get(f.name);
		let value = mapped ? `coalesce(${mapped}, ${fallback})` : fallback;
		if (f.trim) value = values.trim(value);
		// Typed, so an all-NULL column is still a column (Nullable(Nothing) cannot be stored).
		columns.push(`CAST(${value}, ${sqlString(STAGE_TYPES[f.type])}) AS ${f.name}`);

		const refuse = (cond: string, message: string) => refusal(cond, f.name, message, values.unmapped.get(f.name));
		const v = f.name;
		if (fixed === undefined && f.default === undefined) {
			refusals.push(refuse(`isNull(${v})`, f.missing));
			aborting.push(`isNull(${v})`);
		}
		// A check runs on a set value, and not after one that stops zod's checks of the field.
		let guard = `isNotNull(${v})`;
		for (const check of f.checks) {
			const cond = `${guard} AND ${failing(check, `assumeNotNull(${v})`)}`;
			refusals.push(refuse(cond, check.message));
			if (check.aborts) {
				aborting.push(`(${cond})`);
				guard = `${guard} AND NOT (${failing(check, `assumeNotNull(${v})`)})`;
			}
		}
	}
	for (const r of entity.refinements) {
		const cond = REFINEMENTS[mapping.entity]?.[r.field];
		if (cond === undefined) fail(`the refinement on ${r.field} has no SQL form`);
		// zod refines a record only when no field check stopped it.
		const clean = aborting.length ? ` AND NOT (${aborting.join(' OR ')})` : '';
		refusals.push(refusal(`(${cond})${clean}`, r.field, r.message, values.unmapped.get(r.field)));
	}
	return { columns, refusals };
}

/**
 * zod's refusal of `field` where `cond` holds, else ''. Where the field's source value is missing
 * from its map the refusal names that value instead, as the JS path does: the fix is the map's
 * entry. `miss` is evaluated only where the check fails.
 */
function refusal(cond: string, field: string, message: string, miss: string | undefined): string {
	const words = sqlString(fieldReason(field, message));
	if (miss === undefined) return `if(${cond}, ${words}, '')`;
	const unmapped = sqlWords((v) => conversionError.unmapped(field, v), `assumeNotNull(${miss})`);
	return `if(${cond}, if(isNotNull(${miss}), ${unmapped}, ${words}), '')`;
}
