/**
 * The overview's data: filters come from the URL (so reload and back work), numbers from tRPC.
 */
import { CHANNELS, type Channel } from '$schemas/entities';
import { addDays, isoDay } from '$lib/format';
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageLoad = ({ url, fetch }) => {
	const channels = (url.searchParams.get('channels') ?? '')
		.split(',')
		.filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
	const fromParam = url.searchParams.get('from');
	const toParam = url.searchParams.get('to');
	return loadPage(
		fetch,
		async (api) => {
			const [range, targets] = await Promise.all([api.kpi.range.query(), api.settings.targets.query()]);
			const to = toParam && DAY.test(toParam) ? toParam : (range.max ?? isoDay(new Date()));
			const from = fromParam && DAY.test(fromParam) ? fromParam : addDays(to, -89);
			const filter = { from, to, channels: channels.length ? channels : undefined };
			const [summary, trend, mix] = await Promise.all([
				api.kpi.summary.query(filter),
				api.kpi.trend.query({ ...filter, interval: 'week' }),
				api.kpi.channelMix.query(filter)
			]);
			return { filter: { from, to, channels }, range, targets, summary, trend, mix };
		},
		{
			filter: { from: fromParam ?? '', to: toParam ?? '', channels },
			range: null,
			targets: null,
			summary: null,
			trend: [],
			mix: []
		}
	);
};
