/**
 * Why this exists: the reasons area of the API — the discovered contact reasons with their measures
 * (`reasons.list`), the edits people make to them (rename, merge, split, hide, put on a stage:
 * admins and strategists, audited), and discovery again on demand (admins). An edit rewrites the
 * stored model and its dictionary; the journey and the Reasons page see it on their next query.
 */
import { TRPCError } from '@trpc/server';
import {
	discoverStored,
	hideReason,
	ingestHost,
	mergeReasons,
	readReasonModel,
	ReasonEditError,
	renameReason,
	setReasonStage,
	splitReason,
	writeReasonModel
} from '$ingest';
import type { ReasonModel } from '$schemas/reasons';
import {
	DiscoverReasonsSchema,
	HideReasonSchema,
	MergeReasonsSchema,
	ReasonListInputSchema,
	RenameReasonSchema,
	SetReasonStageSchema,
	SplitReasonSchema
} from '$schemas/reasons-api';
import type { Db } from '$db/client';
import { forgetReasonDictionary, reasonDictionary } from '../../queries/reasons/dictionary';
import { listReasons } from '../../queries/reasons/list';
import { auditedMutation, cachedQuery, router } from '../init';

/** Texts read from storage to split a reason (its own texts, a fixed-seed sample). */
const SPLIT_TEXTS = 2_000;

async function edit(db: Db, change: (model: ReasonModel) => ReasonModel | Promise<ReasonModel>) {
	const stored = await readReasonModel(db);
	if (!stored)
		throw new TRPCError({ code: 'BAD_REQUEST', message: 'No reasons have been discovered yet: discover them first.' });
	let next: ReasonModel;
	try {
		next = await change(stored.model);
	} catch (err) {
		if (err instanceof ReasonEditError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
		throw err;
	}
	await writeReasonModel(db, next);
	forgetReasonDictionary(db.client);
	return { ok: true as const };
}

let discovering: Promise<unknown> | null = null;

export const reasonsRouter = router({
	list: cachedQuery.input(ReasonListInputSchema).query(({ ctx, input }) => listReasons(ctx.db.client, input)),
	rename: auditedMutation
		.input(RenameReasonSchema)
		.mutation(({ ctx, input }) => edit(ctx.db, (m) => renameReason(m, input.id, input.name))),
	merge: auditedMutation
		.input(MergeReasonsSchema)
		.mutation(({ ctx, input }) => edit(ctx.db, (m) => mergeReasons(m, input.from, input.into))),
	hide: auditedMutation
		.input(HideReasonSchema)
		.mutation(({ ctx, input }) => edit(ctx.db, (m) => hideReason(m, input.id, input.hidden))),
	setStage: auditedMutation
		.input(SetReasonStageSchema)
		.mutation(({ ctx, input }) => edit(ctx.db, (m) => setReasonStage(m, input.id, input.stage))),
	split: auditedMutation.input(SplitReasonSchema).mutation(({ ctx, input }) =>
		edit(ctx.db, async (m) => {
			// The reason's stored texts (its own id and those merged into it), then re-clustered in two.
			const dictionary = await reasonDictionary(ctx.db.client);
			const ids = [input.id, ...dictionary.filter((d) => d.merged_into === input.id).map((d) => d.id)];
			const rs = await ctx.db.client.query({
				query: `SELECT text FROM interactions WHERE reason_id IN {ids:Array(String)} AND text != ''
					ORDER BY cityHash64(interaction_id) LIMIT {n:UInt32}`,
				query_params: { ids, n: SPLIT_TEXTS },
				format: 'JSONEachRow'
			});
			const texts = (await rs.json<{ text: string }>()).map((r) => r.text);
			return splitReason(m, input.id, texts.length ? texts : undefined);
		})
	),
	/**
	 * Discovers again on the stored texts and reassigns them (one run at a time). It rewrites every
	 * stored month, so the caller says so explicitly.
	 */
	discover: auditedMutation.input(DiscoverReasonsSchema).mutation(async ({ ctx }) => {
		if (discovering) throw new TRPCError({ code: 'CONFLICT', message: 'Discovery is already running.' });
		// With the ingest service in this process, no source runs while stored months are rewritten.
		const host = ingestHost();
		const run = host ? host.exclusive(() => discoverStored(ctx.db)) : discoverStored(ctx.db);
		discovering = run;
		try {
			const s = await run;
			forgetReasonDictionary(ctx.db.client);
			return { texts: s.texts, reasons: s.reasons, reassigned: s.assigned.changed, seconds: s.seconds };
		} catch (err) {
			if (err instanceof Error && /^reasons: /.test(err.message))
				throw new TRPCError({ code: 'BAD_REQUEST', message: err.message.replace(/^reasons: /, '') });
			throw err;
		} finally {
			discovering = null;
		}
	})
});
