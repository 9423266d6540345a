/**
 * Why this exists: every action with its measured effect as CSV (one row per action), for the
 * people who report on them outside Touchmap. Same access as the page (/actions).
 */
import { openDb } from '$db/open';
import { BOM, csvLine, figure } from '$lib/csv';
import { budgetedDb } from '$lib/server/http/query-budget';
import { actionsWithEffects } from '$lib/server/queries/actions/actions';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, getClientAddress }) => {
	const db = budgetedDb(await openDb(), locals.user?.user_id ?? getClientAddress());
	const actions = await actionsWithEffects(db.client);
	let body =
		BOM +
		csvLine([
			'id',
			'title',
			'kind',
			'stage',
			'target',
			'kpi',
			'owner',
			'due',
			'status',
			'done_at',
			'expected_effect',
			'cost',
			'measurement',
			'not_enough_because',
			'effect',
			'effect_low_95',
			'effect_high_95',
			'before',
			'after',
			'comparison_before',
			'comparison_after',
			'comparable_units',
			'weeks_after',
			'annual_benefit',
			'payback_months',
			'currency',
			'notes',
			'created_by',
			'updated_by',
			'updated_at'
		]);
	for (const a of actions) {
		const e = a.effect;
		body += csvLine([
			a.id,
			a.title,
			a.targetKind,
			a.stage,
			a.touchpoint,
			a.kpi,
			a.owner,
			a.due,
			a.status,
			a.doneAt,
			a.expectedEffect,
			a.cost,
			e?.status ?? 'notDone',
			e?.reasons.join('; '),
			figure(e?.effect, 5),
			figure(e?.low, 5),
			figure(e?.high, 5),
			figure(e?.before, 5),
			figure(e?.after, 5),
			figure(e?.comparisonBefore, 5),
			figure(e?.comparisonAfter, 5),
			e?.comparableUnits,
			e?.weeksAfter,
			figure(e?.annualBenefit, 2),
			figure(e?.paybackMonths, 2),
			e?.currency,
			a.notes,
			a.createdBy,
			a.updatedBy,
			a.updatedAt
		]);
	}
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="actions.csv"'
		}
	});
};
