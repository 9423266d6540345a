/**
 * Why this exists: numbers, percentages and durations formatted for the reader's language
 * (Intl), in one place, so every tile and chart agrees.
 */
export function fmtInt(v: number, locale: string): string {
	return new Intl.NumberFormat(locale).format(Math.round(v));
}

export function fmtCompact(v: number, locale: string): string {
	return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

export function fmtPct(v: number, locale: string, digits = 1): string {
	return new Intl.NumberFormat(locale, {
		style: 'percent',
		maximumFractionDigits: digits,
		minimumFractionDigits: digits
	}).format(v);
}

export function fmtNum(v: number, locale: string, digits = 1): string {
	return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
}

function unit(v: number, u: 'second' | 'minute' | 'hour', locale: string, digits: number): string {
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: u,
		unitDisplay: 'short',
		maximumFractionDigits: digits,
		minimumFractionDigits: digits
	}).format(v);
}

/** Seconds as minutes ("12 min", "12分钟"): handle time is always read in minutes. */
export function fmtMinutes(seconds: number, locale: string, digits = 1): string {
	return unit(seconds / 60, 'minute', locale, digits);
}

/** A duration in the unit a reader expects: seconds under 2 minutes, minutes under 2 hours, else hours. */
export function fmtDuration(seconds: number, locale: string, digits = 1): string {
	const s = Math.abs(seconds);
	if (s < 120) return unit(Math.round(seconds), 'second', locale, 0);
	if (s < 7200) return unit(seconds / 60, 'minute', locale, digits);
	return unit(seconds / 3600, 'hour', locale, digits);
}

/** Dates as YYYY-MM-DD (UTC), the API's format. */
export function isoDay(d: Date): string {
	return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return isoDay(d);
}
