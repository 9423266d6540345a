/**
 * Why this exists: stored settings. Targets are settings, not constants; so are the ROI model's
 * assumptions and the reporting time zone. Updates are zod-validated, merged over
 * the stored value and written back whole.
 */
import { TargetsSchema } from '$schemas/kpi';
import { DisplaySettingsSchema, RoiAssumptionsSchema, RoiAssumptionsUpdateSchema, partialUpdate } from '$schemas/roi';
import { TimeZoneSchema } from '$schemas/trends';
import { z } from 'zod';
import { readSetting, writeSetting } from '../../queries/settings/settings';
import { readDisplay, readRoiAssumptions, readTargets } from '../../queries/settings/read';
import { auditedMutation, authorisedProcedure, router } from '../init';

const TargetsUpdateSchema = partialUpdate(TargetsSchema);

export const settingsRouter = router({
	targets: authorisedProcedure.query(({ ctx }) => readTargets(ctx.db.client)),
	get: authorisedProcedure.query(async ({ ctx }) => {
		const [targets, roi, display] = await Promise.all([
			readTargets(ctx.db.client),
			readRoiAssumptions(ctx.db.client),
			readDisplay(ctx.db.client)
		]);
		return { targets, roi, display };
	}),
	updateTargets: auditedMutation.input(TargetsUpdateSchema).mutation(async ({ ctx, input }) => {
		const current = await readSetting(ctx.db.client, 'targets', TargetsSchema);
		const next = TargetsSchema.parse({ ...current, ...input });
		await writeSetting(ctx.db.client, 'targets', next);
		return next;
	}),
	updateRoiAssumptions: auditedMutation.input(RoiAssumptionsUpdateSchema).mutation(async ({ ctx, input }) => {
		const current = await readSetting(ctx.db.client, 'roi', RoiAssumptionsSchema);
		const next = RoiAssumptionsSchema.parse({ ...current, ...input });
		await writeSetting(ctx.db.client, 'roi', next);
		return next;
	}),
	updateDisplay: auditedMutation
		.input(z.object({ timeZone: TimeZoneSchema }).strict())
		.mutation(async ({ ctx, input }) => {
			const next = DisplaySettingsSchema.parse(input);
			await writeSetting(ctx.db.client, 'display', next);
			return next;
		})
});
