/**
 * Why this exists: Plot's default time axis speaks English ("Jan", and a year on a second line
 * that a small bottom margin clips). Every time axis here labels its ticks through this helper, in
 * the reader's language through Intl ("2026年3月", "4月", "3月5日"), one line each, with the year
 * on the first tick and wherever it changes, so months of different years never look alike.
 */
import { utcDay, utcMonth, utcYear } from 'd3';
import { labelTicks } from './trend/spec';

/** Labels for month-start ticks: year and month on the first tick and when the year changes, else the month. */
export function labelMonths(dates: Date[], locale: string): string[] {
	const withYear = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short' });
	const month = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short' });
	return dates.map((d, i) => {
		const prev = dates[i - 1];
		return !prev || prev.getUTCFullYear() !== d.getUTCFullYear() ? withYear.format(d) : month.format(d);
	});
}

/** Labels for a whole set of UTC ticks: years when all are new years, months when all are month starts, else days. */
export function labelTimeTicks(ticks: Date[], locale: string): string[] {
	const all = (interval: typeof utcDay) => ticks.every((d) => +interval.floor(d) === +d);
	if (ticks.length > 1 && all(utcYear)) {
		const year = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric' });
		return ticks.map((d) => year.format(d));
	}
	return all(utcMonth) ? labelMonths(ticks, locale) : labelTicks(ticks, locale);
}

/**
 * A Plot `tickFormat` for a UTC axis. Plot calls it as (tick, index, allTicks), so each label can
 * depend on its neighbours (the year only where it changes).
 */
export function timeTickFormat(locale: string): (d: Date, i: number, ...rest: unknown[]) => string {
	let seen: unknown = null;
	let labels: string[] = [];
	// TRICKY: Plot's types declare (tick, index) only; the third argument is passed at run time.
	return (d, i, ...rest) => {
		const ticks = rest[0];
		if (!Array.isArray(ticks)) return labelTimeTicks([d], locale)[0]!;
		if (ticks !== seen) [seen, labels] = [ticks, labelTimeTicks(ticks, locale)];
		return labels[i] ?? '';
	};
}

/** Plot x options for a time axis in the reader's language, spaced for its longest labels. */
export function timeX(locale: string) {
	return { type: 'utc' as const, label: null, tickFormat: timeTickFormat(locale), tickSpacing: 90 };
}
