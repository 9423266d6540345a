/**
 * Why this exists: stored actions — create, edit and list them (every write is a whole new row,
 * the newest version wins) — and the list with each done action's measured effect and the
 * programme's totals for the ROI page. Errors a person can fix (an unknown pain point, a status
 * that may not follow, a done date in the future) are ActionError: the router turns them into 400s.
 */
import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import {
	ActionCreateSchema,
	ActionUpdateSchema,
	canMoveTo,
	STATUS_NEXT,
	type Action,
	type ActionCreate,
	type ActionEffect,
	type ActionsRoi,
	type ActionUpdate,
	type ActionWithEffect
} from '$schemas/actions';
import { num } from '$schemas/fields';
import { parsePainPointId, type PainPointKind } from '$schemas/journey';
import { paybackMonths } from '$lib/roi/model';
import { keyedRows } from '../journey/filter';
import { reasonParams } from '../reasons/dictionary';
import { readRoiAssumptions } from '../settings/read';
import { measureEffect } from './effect';
import listSql from './list.sql?raw';
import unitSql from './unit.sql?raw';

export const LIST_SQL = listSql;
const unitSqlOf = (by: PainPointKind) => sqlTemplate(unitSql, { rows: keyedRows('SELECT * FROM reason_monthly', by) });
export const UNIT_SQL = { touchpoint: unitSqlOf('touchpoint'), reason: unitSqlOf('reason') } as const;

export class ActionError extends Error {}

const RowSchema = z.object({
	id: z.string(),
	title: z.string(),
	target: z.string(),
	target_kind: z.enum(['touchpoint', 'reason']),
	stage: z.string(),
	touchpoint: z.string(),
	kpi: z.enum(['complaintRate', 'csat', 'negativeShare', 'aht']),
	owner: z.string(),
	due: z.string(),
	status: z.enum(['planned', 'in_progress', 'done', 'cancelled']),
	done_at: z.string(),
	expected_effect: num,
	cost: num,
	notes: z.string(),
	created_by: z.string(),
	created_at: z.string(),
	updated_by: z.string(),
	updated_at: z.string(),
	version: num
});
type Row = z.infer<typeof RowSchema>;

const NOT_DONE = '1970-01-01';

const toAction = (r: Row): Action => ({
	id: r.id,
	title: r.title,
	target: r.target,
	targetKind: r.target_kind,
	stage: r.stage,
	touchpoint: r.touchpoint,
	kpi: r.kpi,
	owner: r.owner,
	due: r.due,
	status: r.status,
	doneAt: r.status === 'done' && r.done_at !== NOT_DONE ? r.done_at : null,
	expectedEffect: r.expected_effect,
	cost: r.cost,
	notes: r.notes,
	createdBy: r.created_by,
	createdAt: r.created_at,
	updatedBy: r.updated_by,
	updatedAt: r.updated_at
});

async function rowsOf(client: ClickHouseClient, id = ''): Promise<Row[]> {
	const rs = await client.query({ query: LIST_SQL, query_params: { id }, format: 'JSONEachRow' });
	return z.array(RowSchema).parse(await rs.json());
}

export async function listActions(
	client: ClickHouseClient,
	filter: { target?: string; status?: Action['status'] } = {}
): Promise<Action[]> {
	return (await rowsOf(client))
		.map(toAction)
		.filter((a) => (!filter.target || a.target === filter.target) && (!filter.status || a.status === filter.status))
		.sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}

export async function getAction(client: ClickHouseClient, id: string): Promise<Action | null> {
	const [row] = await rowsOf(client, id);
	return row ? toAction(row) : null;
}

const today = (now: Date) => now.toISOString().slice(0, 10);

function checkDoneAt(doneAt: string, now: Date) {
	if (doneAt > today(now)) throw new ActionError('doneAt: must not be in the future');
}

async function write(client: ClickHouseClient, row: Row) {
	await client.insert({ table: 'actions', values: [row], format: 'JSONEachRow' });
}

/** Creates an action on a pain point the data holds. */
export async function createAction(
	client: ClickHouseClient,
	input: ActionCreate,
	by: string,
	now = new Date()
): Promise<Action> {
	const a = ActionCreateSchema.parse(input);
	const where = parsePainPointId(a.target);
	if (!where) throw new ActionError('target: not a pain-point id');
	const binding = await reasonParams(client);
	const rs = await client.query({
		query: UNIT_SQL[where.by],
		query_params: { ...binding, stage: where.stage, touchpoint: where.touchpoint },
		format: 'JSONEachRow'
	});
	const [found] = z.array(z.object({ n: num })).parse(await rs.json());
	if (!found?.n) throw new ActionError(`target: no ${where.by} "${where.touchpoint}" in the data`);
	const doneAt = a.status === 'done' ? (a.doneAt ?? today(now)) : NOT_DONE;
	if (a.status === 'done') checkDoneAt(doneAt, now);
	const at = now.toISOString().replace('T', ' ').replace('Z', '');
	const row: Row = {
		id: `a-${randomBytes(6).toString('hex')}`,
		title: a.title,
		target: a.target,
		target_kind: where.by,
		stage: where.stage,
		touchpoint: where.touchpoint,
		kpi: a.kpi,
		owner: a.owner,
		due: a.due,
		status: a.status,
		done_at: doneAt,
		expected_effect: a.expectedEffect,
		cost: a.cost,
		notes: a.notes,
		created_by: by,
		created_at: at,
		updated_by: by,
		updated_at: at,
		version: now.getTime()
	};
	await write(client, row);
	return toAction(row);
}

/** Changes the fields given; a status change must be one STATUS_NEXT allows. */
export async function updateAction(
	client: ClickHouseClient,
	input: ActionUpdate,
	by: string,
	now = new Date()
): Promise<Action> {
	const u = ActionUpdateSchema.parse(input);
	const [cur] = await rowsOf(client, u.id);
	if (!cur) throw new ActionError(`id: no action ${u.id}`);
	const status = u.status ?? cur.status;
	if (!canMoveTo(cur.status, status))
		throw new ActionError(
			`status: ${cur.status} cannot become ${status} (allowed: ${STATUS_NEXT[cur.status].join(', ')})`
		);
	if (u.doneAt && status !== 'done') throw new ActionError('doneAt: only for a done action');
	let doneAt = cur.done_at;
	if (status !== 'done') doneAt = NOT_DONE;
	else if (u.doneAt) doneAt = u.doneAt;
	else if (cur.status !== 'done') doneAt = today(now);
	if (status === 'done') checkDoneAt(doneAt, now);
	const row: Row = {
		...cur,
		title: u.title ?? cur.title,
		kpi: u.kpi ?? cur.kpi,
		owner: u.owner ?? cur.owner,
		due: u.due ?? cur.due,
		status,
		done_at: doneAt,
		expected_effect: u.expectedEffect ?? cur.expected_effect,
		cost: u.cost ?? cur.cost,
		notes: u.notes ?? cur.notes,
		updated_by: by,
		updated_at: now.toISOString().replace('T', ' ').replace('Z', ''),
		// Strictly newer than the stored version, even for two edits within one millisecond.
		version: Math.max(now.getTime(), cur.version + 1)
	};
	await write(client, row);
	return toAction(row);
}

/**
 * The effect an action on `target` done on `doneAt` would measure now, against units no stored
 * action touches: to check what the data can show before marking one done, and for the bench.
 */
export async function previewEffect(
	client: ClickHouseClient,
	input: { target: string; kpi: Action['kpi']; doneAt: string }
): Promise<ActionEffect> {
	const where = parsePainPointId(input.target);
	if (!where) throw new ActionError('target: not a pain-point id');
	const action: Action = {
		id: 'a-preview',
		title: '',
		target: input.target,
		targetKind: where.by,
		stage: where.stage,
		touchpoint: where.touchpoint,
		kpi: input.kpi,
		owner: '',
		due: input.doneAt,
		status: 'done',
		doneAt: input.doneAt,
		expectedEffect: 0,
		cost: 0,
		notes: '',
		createdBy: '',
		createdAt: '',
		updatedBy: '',
		updatedAt: ''
	};
	return measureEffect(client, action, await listActions(client));
}

/** Every action with its effect (done ones measured), filtered as asked. */
export async function actionsWithEffects(
	client: ClickHouseClient,
	filter: { target?: string; status?: Action['status'] } = {}
): Promise<ActionWithEffect[]> {
	const all = await listActions(client);
	const shown = all.filter(
		(a) => (!filter.target || a.target === filter.target) && (!filter.status || a.status === filter.status)
	);
	return Promise.all(
		shown.map(async (a) => ({ ...a, effect: a.status === 'done' ? await measureEffect(client, a, all) : null }))
	);
}

/** The ROI page's actions: each action's cost and measured benefit, and the programme's totals. */
export async function actionsRoi(client: ClickHouseClient): Promise<ActionsRoi> {
	const [items, assumptions] = await Promise.all([actionsWithEffects(client), readRoiAssumptions(client)]);
	const live = items.filter((a) => a.status !== 'cancelled');
	const measured = live.filter((a) => a.effect?.status === 'measured' && a.effect.annualBenefit !== null);
	const totalCost = live.reduce((s, a) => s + a.cost, 0);
	const totalBenefit = measured.reduce((s, a) => s + (a.effect?.annualBenefit ?? 0), 0);
	return {
		currency: assumptions.currency,
		items: live,
		totalCost,
		totalBenefit,
		paybackMonths: paybackMonths(totalCost, totalBenefit),
		measured: measured.length
	};
}
