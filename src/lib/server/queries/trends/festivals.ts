/**
 * Why this exists: shopping festivals move contact volume and service levels far more than an
 * ordinary week (11.11 triples the demo's daily volume). Prophet models them as holidays, so the
 * forecaster needs their dates: 11.11 (Singles' Day), 618, Black Friday to Cyber Monday, and the
 * Christmas run-up. Windows cover the shopping days and the contact rush that follows.
 */

const DAY_S = 86_400;
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;

/** Black Friday: the day after the fourth Thursday of November. */
export function blackFriday(year: number): number {
	const nov1 = new Date(Date.UTC(year, 10, 1)).getUTCDay(); // 0 = Sunday
	const firstThursday = 1 + ((4 - nov1 + 7) % 7);
	return utc(year, 11, firstThursday + 21 + 1);
}

export interface FestivalWindow {
	name: string;
	/** Seconds since the epoch, UTC midnight; end exclusive. */
	start: number;
	end: number;
}

export function festivalWindows(years: number[]): FestivalWindow[] {
	return years.flatMap((y) => [
		{ name: '11.11', start: utc(y, 11, 9), end: utc(y, 11, 15) },
		{ name: '618', start: utc(y, 6, 14), end: utc(y, 6, 21) },
		{ name: 'Black Friday', start: blackFriday(y) - 6 * DAY_S, end: blackFriday(y) + 4 * DAY_S },
		{ name: 'Christmas', start: utc(y, 12, 15), end: utc(y, 12, 25) }
	]);
}

/**
 * Prophet holiday occurrences for a series whose points are bucket starts of `bucketDays` days:
 * a weekly point (Monday) stands for the 7 days after it, so a window marks every week it touches.
 */
export function festivalHolidays(
	years: number[],
	bucketDays: number
): Map<string, { occurrences: { start: number; end: number }[] }> {
	const out = new Map<string, { occurrences: { start: number; end: number }[] }>();
	for (const w of festivalWindows(years)) {
		const entry = out.get(w.name) ?? { occurrences: [] };
		entry.occurrences.push({ start: w.start - (bucketDays - 1) * DAY_S, end: w.end });
		out.set(w.name, entry);
	}
	return out;
}
