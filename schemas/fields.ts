/**
 * Why this exists: the field schemas every area's inputs and rows share — numbers as ClickHouse
 * returns them, calendar days, and a date range with its two checks — defined once.
 */
import { z } from 'zod';

/** Numbers may arrive as strings from a ClickHouse server (64-bit ints are quoted in JSON). */
export const num = z.coerce.number();
export const numOrNull = z.union([z.null(), z.coerce.number()]);

/**
 * The first and last day a filter may name. ClickHouse's Date holds 1970-01-01..2149-06-06 and its
 * DateTime ends on 2106-02-07; a day a step inside both still converts in any time zone. A day
 * outside them once made the date arithmetic spin forever (year 10000 is no longer YYYY-MM-DD), so
 * every date input is refused here, by name, before any code counts days.
 */
export const FIRST_DAY = '1970-01-02';
export const LAST_DAY = '2106-02-05';

/** The one date schema of every API input: a real calendar day within [FIRST_DAY, LAST_DAY]. */
export const day = (description = 'Calendar date YYYY-MM-DD (inclusive).') =>
	z.iso
		.date()
		.refine((d) => d >= FIRST_DAY && d <= LAST_DAY, { message: `must lie between ${FIRST_DAY} and ${LAST_DAY}` })
		.meta({ description });

const isDay = (v: unknown) => day().safeParse(v).success;

/**
 * A filter's date range must run forwards and span at most `years`. Checked only once both dates
 * are valid, so a bad date gets one message, not three.
 */
export function dateRange<T extends z.ZodObject>(schema: T, years: number): T {
	const dates = (f: unknown) => f as { from: string; to: string };
	const valid = (f: unknown) => isDay(dates(f).from) && isDay(dates(f).to);
	return schema
		.refine((f) => !valid(f) || dates(f).from <= dates(f).to, { message: 'from must not be after to', path: ['from'] })
		.refine((f) => !valid(f) || Date.parse(dates(f).to) - Date.parse(dates(f).from) <= years * 366 * 86_400_000, {
			message: `the range may span at most ${years} years`,
			path: ['to']
		});
}
