/**
 * The trends page's data: choices come from the URL (so reload, back and links work), numbers from
 * tRPC. The forecast and anomalies are for the overall series at week (or day) grain. The date
 * range is the shared filter's `from`/`to` (empty: all history, or the last half-year by day); the
 * forecast continues the latest data, so it shows when the range reaches it.
 */
import { BREAKDOWNS, TREND_KPIS, type Breakdown, type TrendKpi } from '$schemas/trends';
import { INTERVALS, type Interval } from '$schemas/kpi';
import { addDays } from '$lib/format';
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const pick = <T extends string>(v: string | null, allowed: readonly T[], fallback: T): T =>
	(allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;

export const load: PageLoad = ({ url, fetch }) => {
	const kpi: TrendKpi = pick(url.searchParams.get('kpi'), TREND_KPIS, 'volume');
	const interval: Interval = pick(url.searchParams.get('interval'), INTERVALS, 'week');
	const breakdown: Breakdown = pick(url.searchParams.get('breakdown'), BREAKDOWNS, 'none');
	const h = Number(url.searchParams.get('horizon') ?? 12);
	const horizon = Number.isInteger(h) && h >= 4 && h <= 26 ? h : 12;
	const day = (k: string) => (DAY.test(url.searchParams.get(k) ?? '') ? url.searchParams.get(k)! : '');
	const choice = { kpi, interval, breakdown, horizon, from: day('from'), to: day('to') };
	return loadPage(
		fetch,
		async (api) => {
			// Done actions are annotations: the chart still draws when they cannot be read.
			const [range, settings, actions] = await Promise.all([
				api.trends.range.query(),
				api.settings.get.query(),
				api.actions.list.query({ status: 'done' }).catch(() => [])
			]);
			if (!range.min || !range.max)
				return { choice, settings, maxDay: null, series: null, forecast: null, anomalies: [], actions };
			// Days: the last half-year; weeks and months: all history.
			const to = choice.to && choice.to < range.max ? choice.to : range.max;
			const from = choice.from || (interval === 'day' ? addDays(to, -181) : range.min);
			const fInterval = interval === 'day' ? 'day' : 'week';
			const [series, forecast, anomalies] = await Promise.all([
				api.trends.series.query({ from: from < range.min ? range.min : from, to, interval, breakdown }),
				breakdown === 'none' && interval !== 'month' && to === range.max
					? api.trends.forecast.query({ kpi, horizon, interval: fInterval })
					: Promise.resolve(null),
				interval !== 'month'
					? api.trends.anomalies.query({ kpis: [kpi], interval: fInterval, to })
					: Promise.resolve([])
			]);
			const inRange = anomalies.filter((a) => a.bucket >= from && a.bucket <= to);
			return {
				choice: { ...choice, from, to },
				settings,
				maxDay: range.max,
				series,
				forecast,
				anomalies: inRange,
				actions
			};
		},
		{ choice, settings: null, maxDay: null, series: null, forecast: null, anomalies: [], actions: [] }
	);
};
