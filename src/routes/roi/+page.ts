/**
 * The ROI dashboard's data: measured case, assumptions and scorecards from one tRPC call.
 */
import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	try {
		return { summary: await trpc(fetch).roi.summary.query(), error: null };
	} catch (err) {
		return { summary: null, error: (err as Error).message };
	}
};
