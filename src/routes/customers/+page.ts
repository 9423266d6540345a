/**
 * The high-value customers page: rules in force, the segment portrait and needs by scenario,
 * through tRPC. The period lives in the URL, as months or as the shared filter's date range.
 */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

/**
 * The period in whole months (the portrait is monthly): `months`, else the span of the shared
 * filter's from/to (so a range chosen on another page carries over), else 12.
 */
function periodMonths(url: URL): number {
	const m = Number(url.searchParams.get('months'));
	if (Number.isInteger(m) && m >= 1 && m <= 24) return m;
	const [from, to] = ['from', 'to'].map((k) => Date.parse(`${url.searchParams.get(k)}T00:00:00Z`));
	if (!Number.isFinite(from!) || !Number.isFinite(to!) || to! < from!) return 12;
	return Math.max(1, Math.min(24, Math.round((to! - from! + 86_400_000) / (30.44 * 86_400_000))));
}

export const load: PageLoad = ({ url, fetch }) => {
	const months = periodMonths(url);
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
