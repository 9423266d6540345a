/**
 * Why this exists: the actions area of the API — actions put on a pain point or a contact reason,
 * listed with their measured effect (`actions.list`), one action (`actions.get`), the effect an
 * action done on a given day would measure (`actions.effect`), the ROI page's
 * per-action costs and benefits (`actions.roi`), and creating and editing them (strategists,
 * product teams and admins; every change is audited with its input).
 */
import { TRPCError } from '@trpc/server';
import {
	ActionCreateSchema,
	ActionEffectInputSchema,
	ActionIdSchema,
	ActionListInputSchema,
	ActionUpdateSchema
} from '$schemas/actions';
import { ZodError } from 'zod';
import {
	ActionError,
	actionsRoi,
	actionsWithEffects,
	createAction,
	previewEffect,
	updateAction
} from '../../queries/actions/actions';
import { auditedMutation, cachedQuery, router, z, type Context } from '../init';

const who = (ctx: Context) => ctx.auth?.user?.email || ctx.auth?.user?.user_id || 'local';

async function asBadRequest<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (err) {
		if (err instanceof ActionError || err instanceof ZodError)
			throw new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
		throw err;
	}
}

export const actionsRouter = router({
	list: cachedQuery.input(ActionListInputSchema).query(({ ctx, input }) => actionsWithEffects(ctx.db.client, input)),
	get: cachedQuery.input(z.object({ id: ActionIdSchema }).strict()).query(async ({ ctx, input }) => {
		const [found] = (await actionsWithEffects(ctx.db.client)).filter((a) => a.id === input.id);
		if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no action ${input.id}` });
		return found;
	}),
	roi: cachedQuery.query(({ ctx }) => actionsRoi(ctx.db.client)),
	effect: cachedQuery
		.input(ActionEffectInputSchema)
		.query(({ ctx, input }) => asBadRequest(() => previewEffect(ctx.db.client, input))),
	create: auditedMutation
		.input(ActionCreateSchema)
		.mutation(({ ctx, input }) => asBadRequest(() => createAction(ctx.db.client, input, who(ctx)))),
	update: auditedMutation
		.input(ActionUpdateSchema)
		.mutation(({ ctx, input }) => asBadRequest(() => updateAction(ctx.db.client, input, who(ctx))))
});
