/**
 * Why this exists: `drivers.contacts` and `drivers.churn` — which factors move CSAT, NPS, negative
 * sentiment and churn, and by how much. The SQL sums outcomes per cell of factor levels from the
 * driver_cells roll-up (contacts) or the customer roll-up (churn), so a request reads a few
 * thousand rows whatever the data's size; the model (./model.ts) fits and bootstraps in memory,
 * and the answer is kept per data version.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import {
	CONTACT_FACTORS,
	CUSTOMER_FACTORS,
	DriversSchema,
	type ContactDriversInput,
	type ContactOutcome,
	type DriverOutcome,
	type Drivers,
	type DriverFix
} from '$schemas/drivers';
import { num } from '$schemas/fields';
import { cached } from '../../kept';
import { readWholeParts } from '../customers/portrait-store';
import { resolvedRows } from '../journey/filter';
import { reasonParams } from '../reasons/dictionary';
import churnSql from './churn.sql?raw';
import contactsSql from './contacts.sql?raw';
import rowsSql from './contact-rows.sql?raw';
import { fitDrivers, OTHER, type DriverCell, type DriverFit } from './model';

/** Each contact outcome's count, sum and sum of squares in driver_cells. */
const OUTCOME_COLUMNS: Record<ContactOutcome, { n: string; s: string; q: string }> = {
	csat: { n: 'csat_n', s: 'csat_sum', q: 'csat_sq' },
	nps: { n: 'nps_n', s: 'nps_sum', q: 'nps_sq' },
	// A 0/1 outcome: its square is itself.
	negative: { n: 'sent_n', s: 'neg_n', q: 'neg_n' }
};

const byOutcome = (f: (cols: (typeof OUTCOME_COLUMNS)[ContactOutcome]) => string) =>
	Object.fromEntries(Object.entries(OUTCOME_COLUMNS).map(([o, cols]) => [o, f(cols)])) as Record<
		ContactOutcome,
		string
	>;
export const CONTACT_ROWS_SQL = byOutcome((cols) => sqlTemplate(rowsSql, cols));
export const CONTACT_SQL = byOutcome((cols) =>
	sqlTemplate(contactsSql, { rows: resolvedRows(sqlTemplate(rowsSql, cols)) })
);
export const CHURN_SQL = churnSql;
/** The churn cells as a kept portrait part: built once per data version (customers/portrait.ts). */
export const CHURN_PARTS = { churnCells: CHURN_SQL };

const HIGHER_IS_BETTER: Record<DriverOutcome, boolean> = { csat: true, nps: true, negative: false, churn: false };
/** Fractions are shown in percentage points; the model works on 0/1. */
const SCALE: Record<DriverOutcome, number> = { csat: 1, nps: 1, negative: 100, churn: 100 };

/** Levels that say a value was not recorded (or there were no contacts): never something to fix. */
const unrecorded = (factor: string, level: string) =>
	level === '' || (factor === 'fcr' && level === '-1') || ((factor === 'wait' || factor === 'handle') && level === '0');

const CellRowSchema = z.object({ n: num, s: num, q: num }).catchall(z.unknown());

function toCells(answer: unknown, factors: readonly string[]): DriverCell[] {
	const rows = z.array(CellRowSchema).parse(answer);
	return rows.map((r) => ({ levels: factors.map((f) => String(r[f] ?? '')), n: r.n, sum: r.s, sq: r.q }));
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** The model's fit as the API answers it, in the outcome's display unit, with the ranked fixes. */
export function shapeDrivers(outcome: DriverOutcome, fit: DriverFit | null): Drivers {
	const higherIsBetter = HIGHER_IS_BETTER[outcome];
	if (!fit) return { outcome, higherIsBetter, status: 'empty', n: 0, mean: 0, r2: 0, reps: 0, factors: [], fixes: [] };
	const k = SCALE[outcome];
	const factors = fit.factors.map((f) => ({
		factor: f.factor as Drivers['factors'][number]['factor'],
		importance: f.importance,
		importanceLo: finiteOrNull(f.importanceLo),
		importanceHi: finiteOrNull(f.importanceHi),
		reference: f.reference,
		levels: f.levels.map((l) => ({
			level: l.level,
			n: l.n,
			share: l.share,
			mean: l.mean * k,
			effect: l.effect * k,
			effectLo: finiteOrNull(l.effectLo * k),
			effectHi: finiteOrNull(l.effectHi * k),
			gain: l.gain * k,
			gainLo: finiteOrNull(l.gainLo * k),
			gainHi: finiteOrNull(l.gainHi * k)
		}))
	}));
	const fixes: DriverFix[] = factors
		.flatMap((f) => f.levels.map((l) => ({ ...l, factor: f.factor })))
		// Pooled rare levels are no one thing to fix.
		.filter((l) => l.gain > 0 && l.level !== OTHER)
		.sort((a, b) => b.gain - a.gain)
		.slice(0, 12);
	return DriversSchema.parse({
		outcome,
		higherIsBetter,
		status: 'ok',
		n: fit.n,
		mean: fit.mean * k,
		r2: fit.r2,
		reps: fit.reps,
		factors,
		fixes
	});
}

export async function getContactDrivers(client: ClickHouseClient, input: ContactDriversInput): Promise<Drivers> {
	return cached(client, ['drivers.contacts', input], async () => {
		const { r_ids, r_stages, r_names } = await reasonParams(client);
		const params = { r_ids, r_stages, r_names, from: input.from, to: input.to };
		const rs = await client.query({ query: CONTACT_SQL[input.outcome], query_params: params, format: 'JSONEachRow' });
		const c = toCells(await rs.json(), CONTACT_FACTORS);
		return shapeDrivers(
			input.outcome,
			fitDrivers(CONTACT_FACTORS, c, { higherIsBetter: HIGHER_IS_BETTER[input.outcome], unrecorded })
		);
	});
}

export async function getChurnDrivers(client: ClickHouseClient): Promise<Drivers> {
	return cached(client, ['drivers.churn'], async () => {
		// TRICKY: churn.sql scans every customer's months and joins customers FINAL (seconds at 10M);
		// the stored portrait holds its answer for the current data, so a request reads those rows.
		const { churnCells } = await readWholeParts(client, CHURN_PARTS);
		const c = toCells(churnCells, CUSTOMER_FACTORS);
		return shapeDrivers('churn', fitDrivers(CUSTOMER_FACTORS, c, { higherIsBetter: false, unrecorded }));
	});
}
