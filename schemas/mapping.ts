/**
 * Why this exists: a source file is brought in by a declarative mapping (JSON or YAML) from its
 * fields to canonical fields, so a new export format needs a file, not code. This schema is the
 * contract for those files; ingest/mapping/map-record.ts applies it (and ingest/mapping/sql/
 * compiles it for ClickHouse), ingest/mapping/check-mapping.ts refuses what cannot work.
 */
import { z } from 'zod';

export const FieldTypeSchema = z
	.enum(['string', 'number', 'integer', 'boolean', 'datetime', 'date'])
	.meta({ description: 'How a source value is read (the canonical field’s own type unless said otherwise).' });

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const SourceField = z
	.string()
	.min(1)
	.meta({ description: 'A source field: a CSV column, a dotted JSON path, or $line.' });

export const DURATION_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export const DurationSchema = z
	.partialRecord(
		z.enum(DURATION_UNITS),
		z.union([z.number().int(), SourceField]).meta({ description: 'A whole number, or a source field holding one.' })
	)
	.refine((d) => Object.keys(d).length > 0, 'name at least one unit, e.g. { years: Tenure }')
	.meta({ description: 'A span of time: whole years, months, weeks, days, hours, minutes, seconds.' });
export type Duration = z.infer<typeof DurationSchema>;

export const DIFFERENCE_UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks'] as const;

export const COMPARISONS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const OperandSchema = z
	.union([
		z.number(),
		z.boolean(),
		z.string(),
		z.strictObject({ field: SourceField }).meta({ description: 'Another source field, read as the same type.' })
	])
	.meta({ description: 'What a value is compared with: a number, yes/no, a text, or { field: NAME }.' });
export type Operand = z.infer<typeof OperandSchema>;

export const TestSchema = z
	.partialRecord(z.enum(COMPARISONS), OperandSchema)
	.refine((t) => Object.keys(t).length === 1, 'one comparison, e.g. { "<=": 2 }')
	.meta({ description: 'A comparison that turns the value into yes/no, e.g. { "<=": 2 }.' });

/** An object rule: where a value comes from, how it is looked up and read, and what is computed from it. */
export interface FieldRuleObject {
	from?: string | string[];
	date?: string;
	if?: FieldRuleObject;
	then?: string | number | boolean | null | FieldRuleObject;
	else?: string | number | boolean | null | FieldRuleObject;
	join?: string;
	type?: z.infer<typeof FieldTypeSchema>;
	map?: Record<string, string | number | boolean | null>;
	default?: string | number | boolean | null;
	multiply?: number;
	format?: string;
	timezone?: string;
	prefix?: string;
	suffix?: string;
	plus?: Duration;
	minus?: Duration | string;
	unit?: (typeof DIFFERENCE_UNITS)[number];
	is?: Partial<Record<Comparison, Operand>>;
}

const Branch = z.union([Scalar, z.lazy((): z.ZodType<FieldRuleObject> => FieldRuleObjectSchema)]).meta({
	description: 'A value (text, number, yes/no, null) or a rule object such as { from: column }.'
});

export const FieldRuleObjectSchema: z.ZodType<FieldRuleObject> = z
	.strictObject({
		from: z
			.union([SourceField, z.array(SourceField).min(1)])
			.optional()
			.meta({ description: 'Source field(s); the first non-empty one wins.' }),
		date: z
			.string()
			.min(1)
			.optional()
			.meta({ description: 'A fixed date or time as the value instead of a source field, e.g. the export date.' }),
		if: z
			.lazy((): z.ZodType<FieldRuleObject> => FieldRuleObjectSchema)
			.optional()
			.meta({ description: 'A condition (a rule giving yes/no, e.g. with `is`): the value is `then` or `else`.' }),
		then: Branch.optional(),
		else: Branch.optional(),
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
		timezone: z.string().optional().meta({ description: 'Zone for datetimes without an offset (default UTC).' }),
		prefix: z.string().optional().meta({ description: 'Text put before the value, e.g. "bank-".' }),
		suffix: z.string().optional().meta({ description: 'Text put after the value.' }),
		plus: DurationSchema.optional().meta({ description: 'A date or time moved later, e.g. { days: 30 }.' }),
		minus: z.union([DurationSchema, SourceField]).optional().meta({
			description:
				'A date or time moved earlier ({ years: Tenure }), or a source field subtracted: the difference of two times in `unit` (or of two numbers).'
		}),
		unit: z
			.enum(DIFFERENCE_UNITS)
			.optional()
			.meta({ description: 'The unit of a difference of two times (default days).' }),
		is: TestSchema.optional()
	})
	.superRefine((r, ctx) => {
		const sources = (['from', 'date', 'if'] as const).filter((k) => r[k] !== undefined);
		if (sources.length !== 1)
			ctx.addIssue({
				code: 'custom',
				message: sources.length
					? `give one of from, date and if, not ${sources.join(' and ')}`
					: 'a rule needs from (a source field), date (a fixed date) or if (a condition)'
			});
		if (r.if !== undefined && (r.then === undefined || r.else === undefined))
			ctx.addIssue({ code: 'custom', message: 'if needs then and else' });
		if (r.if === undefined && (r.then !== undefined || r.else !== undefined))
			ctx.addIssue({ code: 'custom', message: 'then and else go with if' });
	})
	.meta({ description: 'Where a canonical value comes from and how it is read, looked up and computed.' });

export const FieldRuleSchema = z.union([
	SourceField.meta({ description: 'Source field name (dotted path for nested NDJSON).' }),
	FieldRuleObjectSchema
]);
export type FieldRule = z.infer<typeof FieldRuleSchema>;

export const MappingSchema = z
	.strictObject({
		name: z
			.string()
			.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _')
			.meta({ description: 'Source name; part of every record key, so keep it stable.' }),
		entity: z.enum(['customer', 'interaction', 'order']),
		format: z.enum(['csv', 'ndjson', 'lines']).meta({
			description:
				'csv (a header line names the columns), ndjson (a JSON object a line) or lines (each line is the field `line`).'
		}),
		delimiter: z.string().length(1).optional().meta({ description: 'CSV delimiter (default ,).' }),
		constants: z.record(z.string(), Scalar).optional().meta({ description: 'Fixed canonical values.' }),
		fields: z.record(z.string(), FieldRuleSchema).meta({
			description: 'Canonical field → rule. `attributes.NAME` keeps any extra source field.'
		})
	})
	.meta({ description: 'How one source file maps to canonical records.' });
export type Mapping = z.infer<typeof MappingSchema>;

/** The virtual source field holding a record's line number in its file. */
export const LINE_FIELD = '$line';
