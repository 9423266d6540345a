import { fmtDuration, fmtInt } from '$lib/format';

/** A lag or interval in the unit an operator reads: seconds, then minutes or hours, then days. */
export function lag(s: number | null, locale: string): string {
	if (s === null) return '—';
	if (s < 60) return `${s} s`;
	return s < 172_800 ? fmtDuration(s, locale, 0) : `${fmtInt(Math.round(s / 86_400), locale)} d`;
}

/** A time in UTC, said so. */
export function whenUtc(iso: string, locale: string): string {
	return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}
