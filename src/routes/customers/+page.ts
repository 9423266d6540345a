/**
 * The high-value customers page: rules in force, the segment portrait and needs by scenario,
 * through tRPC. The period (months) lives in the URL.
 */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

const PERIODS = [3, 6, 12, 24] as const;

export const load: PageLoad = ({ url, fetch }) => {
	const m = Number(url.searchParams.get('months'));
	const months = (PERIODS as readonly number[]).includes(m) ? m : 12;
	return loadPage(
		fetch,
		async (api) => {
			const [segments, needs] = await Promise.all([
				api.customers.segments.query({ months }),
				api.customers.needs.query({ months: Math.max(6, months), top: 5 })
			]);
			return { months, segments, needs };
		},
		{ months, segments: null, needs: null }
	);
};
