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

/** Dates as YYYY-MM-DD (UTC), the API's format. */
export function isoDay(d: Date): string {
	return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return isoDay(d);
}
