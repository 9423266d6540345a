/**
 * Why this exists: the journey area of the API — the map (cells, pain points, emotion curve) and
 * the customer paths — and the pain-point list and drill-down (`painPoints.*`, mounted beside it).
 */
import { TRPCError } from '@trpc/server';
import {
	JourneyFilterSchema,
	PainPointGetInputSchema,
	PathsInputSchema,
	SeveritySettingsSchema
} from '$schemas/journey';
import { loadJourneyRules } from '$ingest';
import { writeSetting } from '../../queries/settings/settings';
import { getJourneyMap, readSeveritySettings, SEVERITY_KEY } from '../../queries/journey/map';
import { getPaths } from '../../queries/journey/paths';
import { getPainPoint, listPainPoints } from '../../queries/pain-points/pain-points';
import { auditedMutation, cachedQuery, router } from '../init';

export const journeyRouter = router({
	map: cachedQuery.input(JourneyFilterSchema).query(({ ctx, input }) => getJourneyMap(ctx.db.client, input)),
	paths: cachedQuery.input(PathsInputSchema).query(({ ctx, input }) => getPaths(ctx.db.client, input)),
	/** The stage/touchpoint rules and severity settings in force (read-only view on the map page). */
	settings: cachedQuery.query(async ({ ctx }) => ({
		rules: await loadJourneyRules(ctx),
		severity: await readSeveritySettings(ctx.db.client)
	})),
	updateSeverity: auditedMutation.input(SeveritySettingsSchema.partial().strict()).mutation(async ({ ctx, input }) => {
		const next = SeveritySettingsSchema.parse({ ...(await readSeveritySettings(ctx.db.client)), ...input });
		await writeSetting(ctx.db.client, SEVERITY_KEY, next);
		return next;
	})
});

export const painPointsRouter = router({
	list: cachedQuery.input(JourneyFilterSchema).query(({ ctx, input }) => listPainPoints(ctx.db.client, input)),
	get: cachedQuery.input(PainPointGetInputSchema).query(async ({ ctx, input }) => {
		const detail = await getPainPoint(ctx.db.client, input);
		if (!detail) throw new TRPCError({ code: 'BAD_REQUEST', message: 'id: not a pain-point id' });
		return detail;
	})
});
