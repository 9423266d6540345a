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

/**
 * Money in the deployment's currency, one formatter for every page: compact from ten thousand up
 * ("¥41M", "4100万"), whole units below ("¥1,566", not "¥1566.1"). No currency set (or a code
 * Intl does not know): plain numbers, never a made-up symbol.
 */
export function moneyFormat(locale: string, currency: string): (v: number) => string {
	const make = (o: Intl.NumberFormatOptions) => {
		try {
			return new Intl.NumberFormat(locale, { ...(currency ? { style: 'currency' as const, currency } : {}), ...o });
		} catch {
			return new Intl.NumberFormat(locale, o);
		}
	};
	const compact = make({ notation: 'compact', maximumFractionDigits: 1, minimumFractionDigits: 0 });
	const whole = make({ maximumFractionDigits: 0, minimumFractionDigits: 0 });
	// TRICKY: Chinese compact notation starts at 万 (10,000); below it Intl prints every decimal.
	return (v) => (Math.abs(v) < 10_000 ? whole : compact).format(v);
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
