/**
 * The ROI dashboard's data: measured case, assumptions and scorecards from one tRPC call, and the
 * actions' costs and measured benefits (the page still shows the ROI when those cannot be read).
 */
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch }) =>
	loadPage(
		fetch,
		async (api) => {
			const [summary, actions] = await Promise.all([
				api.roi.summary.query(),
				api.actions.roi.query().catch(() => null)
			]);
			return { summary, actions };
		},
		{ summary: null, actions: null }
	);
