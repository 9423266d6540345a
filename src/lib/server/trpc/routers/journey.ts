/**
 * Why this exists: the journey area of the API — the map (cells, pain points, emotion curve) and
 * the customer paths — and the pain-point list and drill-down (`painPoints.*`, mounted beside it).
 */
import { TRPCError } from '@trpc/server';
import { canView } from '$lib/auth/access';
import {
	JourneyFilterSchema,
	PainPointListInputSchema,
	PainPointGetInputSchema,
	PathsInputSchema,
	SeveritySettingsSchema
} from '$schemas/journey';
import {
	CUSTOM_INTENTS_KEY,
	CustomIntentsSchema,
	INTENT_SCENARIO,
	JOURNEY_RULES_KEY,
	JourneyRulesSchema,
	loadCustomIntents,
	loadJourneyRules
} from '$ingest';
import { applyStatus, startApply } from '../../jobs/apply-rules';
import { writeSetting } from '../../queries/settings/settings';
import { getJourneyMap, readSeveritySettings, SEVERITY_KEY } from '../../queries/journey/map';
import { getPaths } from '../../queries/journey/paths';
import { getPainPoint, listPainPoints } from '../../queries/pain-points/pain-points';
import { auditedMutation, authorisedProcedure, cachedQuery, router, z } from '../init';

export const journeyRouter = router({
	map: cachedQuery.input(JourneyFilterSchema).query(({ ctx, input }) => getJourneyMap(ctx.db.client, input)),
	paths: cachedQuery.input(PathsInputSchema).query(({ ctx, input }) => getPaths(ctx.db.client, input)),
	/** The stage/touchpoint rules, custom intents and severity settings in force. */
	settings: cachedQuery.query(async ({ ctx }) => ({
		rules: await loadJourneyRules(ctx),
		intents: await loadCustomIntents(ctx),
		builtInIntents: Object.entries(INTENT_SCENARIO).map(([name, scenario]) => ({ name, scenario })),
		severity: await readSeveritySettings(ctx.db.client)
	})),
	/**
	 * Replaces the stage/touchpoint rules (admins, strategists); records ingested from now on get
	 * them, stored ones when they are applied (`apply`, `npm run enrich`).
	 */
	updateRules: auditedMutation.input(JourneyRulesSchema).mutation(async ({ ctx, input }) => {
		await writeSetting(ctx.db.client, JOURNEY_RULES_KEY, input);
		return loadJourneyRules(ctx);
	}),
	/** Replaces the deployment's own intents (admins, strategists), added to the built-in ones. */
	updateIntents: auditedMutation.input(CustomIntentsSchema).mutation(async ({ ctx, input }) => {
		await writeSetting(ctx.db.client, CUSTOM_INTENTS_KEY, input);
		return loadCustomIntents(ctx);
	}),
	/** Applies the rules and intents in force to every stored interaction, as a background job. */
	applyRules: auditedMutation.input(z.strictObject({}).optional()).mutation(async () => {
		if (!(await startApply()))
			throw new TRPCError({ code: 'CONFLICT', message: 'The rules are already being applied.' });
		return applyStatus();
	}),
	/** How far applying the rules is (polled by the rules page; never kept, it moves). */
	applyStatus: authorisedProcedure.query(() => applyStatus()),
	updateSeverity: auditedMutation.input(SeveritySettingsSchema.partial().strict()).mutation(async ({ ctx, input }) => {
		const next = SeveritySettingsSchema.parse({ ...(await readSeveritySettings(ctx.db.client)), ...input });
		await writeSetting(ctx.db.client, SEVERITY_KEY, next);
		return next;
	})
});

export const painPointsRouter = router({
	list: cachedQuery
		.input(PainPointListInputSchema)
		.query(({ ctx, input: { by, ...filter } }) => listPainPoints(ctx.db.client, filter, { by })),
	get: cachedQuery.input(PainPointGetInputSchema).query(async ({ ctx, input }) => {
		const detail = await getPainPoint(ctx.db.client, input);
		if (!detail) throw new TRPCError({ code: 'BAD_REQUEST', message: 'id: not a pain-point id' });
		// Who said it is for roles that may open customer pages; the others get no customer ids at all.
		if (!ctx.auth?.enforced || (ctx.auth.user && canView(ctx.auth.user.role, '/customers'))) return detail;
		const anonymous = <T extends { customerId: string }>(rows: T[]) => rows.map((r) => ({ ...r, customerId: '' }));
		return {
			...detail,
			verbatims: anonymous(detail.verbatims),
			interactions: { ...detail.interactions, rows: anonymous(detail.interactions.rows) }
		};
	})
});
