/**
 * Why this exists: stored settings. Targets are settings, not constants (ARCHITECTURE.md).
 */
import { TargetsSchema } from '$schemas/kpi';
import { readSetting, writeSetting } from '../../queries/settings/settings';
import { publicProcedure, router } from '../init';

export const settingsRouter = router({
	targets: publicProcedure.query(({ ctx }) => readSetting(ctx.db.client, 'targets', TargetsSchema)),
	updateTargets: publicProcedure.input(TargetsSchema.partial().strict()).mutation(async ({ ctx, input }) => {
		const current = await readSetting(ctx.db.client, 'targets', TargetsSchema);
		const next = TargetsSchema.parse({ ...current, ...input });
		await writeSetting(ctx.db.client, 'targets', next);
		return next;
	})
});
