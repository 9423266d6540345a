/**
 * Why this exists: the customer-profile area of the API — high-value segment portrait, needs by
 * scenario, churn early-warning signals, the at-risk list and the customer 360 — plus the stored
 * customer rules (kept here, beside the procedures that apply them).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
	AtRiskInputSchema,
	CustomerIdSchema,
	CustomerRulesUpdateSchema,
	NeedsInputSchema,
	PeriodInputSchema
} from '$schemas/customers';
import { getAtRisk } from '../../queries/customers/at-risk';
import { getCustomer } from '../../queries/customers/get';
import { getNeeds } from '../../queries/customers/needs';
import { readRules, updateRules } from '../../queries/customers/rules';
import { getSegments } from '../../queries/customers/segments';
import { getSignals } from '../../queries/customers/signals';
import { readRoiAssumptions } from '../../queries/settings/read';
import { auditedMutation, cachedQuery, router } from '../init';

/** Money on customer pages is labelled with the deployment's currency, the one the ROI page uses. */
async function withCurrency<T extends object>(
	c: ClickHouseClient,
	rows: Promise<T>
): Promise<T & { currency: string }> {
	const [r, roi] = await Promise.all([rows, readRoiAssumptions(c)]);
	return { ...r, currency: roi.currency };
}

export const customersRouter = router({
	rules: cachedQuery.query(({ ctx }) => readRules(ctx.db.client)),
	updateRules: auditedMutation
		.input(CustomerRulesUpdateSchema)
		.mutation(({ ctx, input }) => updateRules(ctx.db.client, input)),
	segments: cachedQuery
		.input(PeriodInputSchema)
		.query(({ ctx, input }) => withCurrency(ctx.db.client, getSegments(ctx.db.client, input))),
	needs: cachedQuery.input(NeedsInputSchema).query(({ ctx, input }) => getNeeds(ctx.db.client, input)),
	signals: cachedQuery.input(PeriodInputSchema).query(({ ctx, input }) => getSignals(ctx.db.client, input)),
	atRisk: cachedQuery
		.input(AtRiskInputSchema)
		.query(({ ctx, input }) => withCurrency(ctx.db.client, getAtRisk(ctx.db.client, input))),
	get: cachedQuery
		.input(z.object({ id: CustomerIdSchema, limit: z.number().int().min(1).max(2000).default(300) }))
		.query(async ({ ctx, input }) => {
			const c = await getCustomer(ctx.db.client, input);
			if (!c) throw new TRPCError({ code: 'NOT_FOUND', message: `No customer ${input.id}` });
			return withCurrency(ctx.db.client, Promise.resolve(c));
		})
});
