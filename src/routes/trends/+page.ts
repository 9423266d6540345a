/**
 * The trends page's data: choices come from the URL (so reload, back and links work), numbers from
 * tRPC. The forecast and anomalies are for the overall series at week (or day) grain.
 */
import { BREAKDOWNS, TREND_KPIS, type Breakdown, type TrendKpi } from '$schemas/trends';
import { INTERVALS, type Interval } from '$schemas/kpi';
import { addDays } from '$lib/format';
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

const pick = <T extends string>(v: string | null, allowed: readonly T[], fallback: T): T =>
	(allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;

export const load: PageLoad = ({ url, fetch }) => {
	const kpi: TrendKpi = pick(url.searchParams.get('kpi'), TREND_KPIS, 'volume');
	const interval: Interval = pick(url.searchParams.get('interval'), INTERVALS, 'week');
	const breakdown: Breakdown = pick(url.searchParams.get('breakdown'), BREAKDOWNS, 'none');
	const h = Number(url.searchParams.get('horizon') ?? 12);
	const horizon = Number.isInteger(h) && h >= 4 && h <= 26 ? h : 12;
	const choice = { kpi, interval, breakdown, horizon };
	return loadPage(
		fetch,
		async (api) => {
			const [range, settings] = await Promise.all([api.trends.range.query(), api.settings.get.query()]);
			if (!range.min || !range.max) return { choice, settings, series: null, forecast: null, anomalies: [] };
			// Days: the last half-year; weeks and months: all history.
			const from = interval === 'day' ? addDays(range.max, -181) : range.min;
			const fInterval = interval === 'day' ? 'day' : 'week';
			const [series, forecast, anomalies] = await Promise.all([
				api.trends.series.query({ from: from < range.min ? range.min : from, to: range.max, interval, breakdown }),
				breakdown === 'none' && interval !== 'month'
					? api.trends.forecast.query({ kpi, horizon, interval: fInterval })
					: Promise.resolve(null),
				interval !== 'month' ? api.trends.anomalies.query({ kpis: [kpi], interval: fInterval }) : Promise.resolve([])
			]);
			return { choice, settings, series, forecast, anomalies };
		},
		{ choice, settings: null, series: null, forecast: null, anomalies: [] }
	);
};
