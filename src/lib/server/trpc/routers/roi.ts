/**
 * Why this exists: the executive ROI dashboard's API: measured case, stored assumptions and
 * scorecards in one call (the what-if panel recomputes in the browser from `inputs`).
 */
import { getRoiSummary } from '../../queries/roi/summary';
import { readDisplay, readRoiAssumptions, readTargets } from '../../queries/settings/read';
import { cachedQuery, router } from '../init';

export const roiRouter = router({
	summary: cachedQuery.query(async ({ ctx }) => {
		const [a, targets, display] = await Promise.all([
			readRoiAssumptions(ctx.db.client),
			readTargets(ctx.db.client),
			readDisplay(ctx.db.client)
		]);
		return getRoiSummary(ctx.db.client, a, targets, display.timeZone);
	})
});
