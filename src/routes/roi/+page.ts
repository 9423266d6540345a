/**
 * The ROI dashboard's data: measured case, assumptions and scorecards from one tRPC call.
 */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch }) =>
	loadPage(fetch, async (api) => ({ summary: await api.roi.summary.query() }), { summary: null });
