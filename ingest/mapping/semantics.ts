/**
 * Why this exists: the two ingest paths must read a source value the same way — the JS path
 * (map-record.ts) record by record, the SQL path (sql/) inside ClickHouse for a whole file. Each
 * rule for reading one is written here once and both paths are built from it; where ClickHouse
 * cannot run the JS form, the SQL form sits beside it. What a canonical field must then satisfy is
 * the zod schemas' to say (canonical.ts).
 */
import type { z } from 'zod';
import type { FieldTypeSchema } from '../../schemas/mapping';

/** The type a mapped value is converted to before validation. */
export type FieldType = z.infer<typeof FieldTypeSchema>;

/** Words read as yes / no, compared as lookup keys. */
export const BOOLEAN_WORDS = {
	true: ['true', '1', 'yes', 'y', 't'],
	false: ['false', '0', 'no', 'n', 'f']
} as const;

/**
 * A time given as a number or digits: epoch seconds (milliseconds above EPOCH_MILLIS_ABOVE) from 9
 * digits before any point (2001-09-09 on); fewer digits are an ISO date such as 20250304, not a day
 * in 1970. Digits in a declared format (yyyyMMddHHmm) are that format's, not an epoch.
 */
export const EPOCH = /^\d{9,}(\.\d+)?$/;
export const EPOCH_MILLIS_ABOVE = 1e11;

/**
 * A decimal number: `Number` also reads 0x10, 0b11 and 0o7, which a data file does not mean.
 * ClickHouse's `toFloat64OrNull` reads the same strings (non-finite results refused by both; the
 * cross-path tests pin the tricky ones).
 */
export const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
export const sqlDecimal = (e: string) => `toFloat64OrNull(${e})`;

/**
 * Declared Luxon formats that name an ISO 8601 / SQL shape. A value under one is read as under no
 * format (any ISO or SQL shape, or an epoch): the shape a source sends is no less clear than the one
 * its mapping names. Any other format is Luxon's to read, on the JS path only.
 */
export const ISO_FORMATS: ReadonlySet<string> = new Set([
	'yyyy-MM-dd HH:mm:ss',
	"yyyy-MM-dd'T'HH:mm:ss",
	'yyyy-MM-dd HH:mm',
	'yyyy-MM-dd'
]);

/** The declared format a value is read with: none for an ISO / SQL shape (ISO_FORMATS). */
export function luxonFormat(format: string | undefined): string | undefined {
	return format === undefined || ISO_FORMATS.has(format) ? undefined : format;
}

/**
 * What Luxon's fromISO / fromSQL accept of the ISO 8601 shapes sources send, for the SQL path:
 * extended (2025-03-04, T10, T10:00, T10:00:00.123, a space and an offset only in the SQL shape) and
 * basic (2025, 202503, 20250304, 20250304T100000Z). Minutes and seconds up to 59:
 * parseDateTime64BestEffort reads 10:00:60 as 10:01, Luxon refuses it.
 */
const ZONE = '(Z|[+-]\\d\\d(:?\\d\\d)?)';
const SECONDS = ':[0-5]\\d(\\.\\d{1,9})?';
export const ISO_SHAPE = `^(\\d{4}-\\d\\d-\\d\\d(T\\d\\d(:[0-5]\\d(${SECONDS})?)?${ZONE}?| \\d\\d:[0-5]\\d(${SECONDS})? ?${ZONE}?)?|\\d{4}(\\d\\d(\\d\\d(T\\d{6}(\\.\\d{1,9})?${ZONE}?)?)?)?)$`;

/** A source value counts only when it is not blank: missing, null, or nothing but spaces. */
export const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** How a source value is looked up in a field's `map` or among BOOLEAN_WORDS. */
export const lookupKey = (v: string) => v.trim().toLowerCase();

/** A refusal of one field in zod's words; a record's refusals are joined in zod's order. */
export const fieldReason = (field: string, message: string) => `${field}: ${message}`;
export const REASON_SEPARATOR = '; ';

/** The reasons a value cannot be converted to its field's type, or is missing from its `map`. */
export const conversionError = {
	number: (field: string, value: string) => `${field}: "${value}" is not a number`,
	boolean: (field: string, value: string) => `${field}: "${value}" is not a yes/no value`,
	time: (field: string, value: string, type: 'datetime' | 'date') => `${field}: "${value}" is not a valid ${type}`,
	unmapped: (field: string, value: string) => `${field}: no mapping for "${value}"`,
	whole: (field: string, value: string) => `${field}: "${value}" is not a whole number`
};

/**
 * A computed value kept as text (an attribute): a number in JavaScript's shortest form, which
 * ClickHouse's toString matches but for a negative zero and an exponent's sign (sqlNumberText).
 */
export const valueText = (v: string | number | boolean) => (typeof v === 'number' ? String(v + 0) : String(v));
export const sqlNumberText = (e: string) => `replaceRegexpOne(toString(${e} + 0.), 'e(\\d)', 'e+\\1')`;
