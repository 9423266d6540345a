/**
 * Why this exists: a source file is brought in by a declarative mapping (JSON or YAML) from its
 * fields to canonical fields, so a new export format needs a file, not code. This schema is the
 * contract for those files; ingest/mapping/map-record.ts applies it.
 */
import { z } from 'zod';

export const FieldTypeSchema = z.enum(['string', 'number', 'integer', 'boolean', 'datetime', 'date']);

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const FieldRuleSchema = z.union([
	z.string().min(1).meta({ description: 'Source field name (dotted path for nested NDJSON).' }),
	z.strictObject({
		from: z
			.union([z.string().min(1), z.array(z.string().min(1)).min(1)])
			.meta({ description: 'Source field(s); the first non-empty one wins.' }),
		join: z
			.string()
			.max(8)
			.optional()
			.meta({ description: 'Join all non-empty source fields with this separator (e.g. a date and a time column).' }),
		type: FieldTypeSchema.optional(),
		map: z.record(z.string(), Scalar).optional().meta({ description: 'Value lookup (case-insensitive).' }),
		default: Scalar.optional().meta({ description: 'Used when the source value is empty or unmapped.' }),
		multiply: z.number().optional().meta({ description: 'Unit conversion, e.g. 60 for minutes → seconds.' }),
		format: z.string().optional().meta({ description: 'Luxon format for datetime/date when not ISO 8601.' }),
		timezone: z.string().optional().meta({ description: 'Zone for datetimes without an offset (default UTC).' })
	})
]);
export type FieldRule = z.infer<typeof FieldRuleSchema>;

export const MappingSchema = z
	.strictObject({
		name: z
			.string()
			.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _')
			.meta({ description: 'Source name; part of every record key, so keep it stable.' }),
		entity: z.enum(['customer', 'interaction', 'order']),
		format: z.enum(['csv', 'ndjson']),
		delimiter: z.string().length(1).optional().meta({ description: 'CSV delimiter (default ,).' }),
		constants: z.record(z.string(), Scalar).optional().meta({ description: 'Fixed canonical values.' }),
		fields: z.record(z.string(), FieldRuleSchema).meta({
			description: 'Canonical field → rule. `attributes.NAME` keeps any extra source field.'
		})
	})
	.meta({ description: 'How one source file maps to canonical records.' });
export type Mapping = z.infer<typeof MappingSchema>;
