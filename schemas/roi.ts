/**
 * Why this exists: the ROI model's stored assumptions and the roi.summary output, shared by the
 * settings router (zod-validated updates), the ROI query module and the /roi page. Every number the
 * ROI rests on is an assumption here, in plain sight and editable — nothing is hidden in code.
 */
import { z } from 'zod';

const day = z.iso.date();
const money = z.number().min(0).max(1e13);

export const InvestmentSchema = z.object({
	kind: z.enum(['training', 'technology', 'other']),
	label: z.string().trim().max(120).default(''),
	amount: money,
	date: day
});
export type Investment = z.infer<typeof InvestmentSchema>;

const PeriodSchema = z
	.object({ from: day, to: day })
	.refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['from'] });

/**
 * Defaults: the reference case (41M invested in training, technology and other; CLTV uplift compared
 * with an industry +6%). Baseline = the first half-year of the demo's history, comparison = the last.
 */
export const RoiAssumptionsSchema = z
	.object({
		currency: z.string().trim().min(1).max(8).default('CNY'),
		investments: z
			.array(InvestmentSchema)
			.max(50)
			.default([
				{ kind: 'training', label: 'Agent training programme', amount: 9_000_000, date: '2025-03-01' },
				{ kind: 'technology', label: 'Omnichannel platform and analytics', amount: 26_000_000, date: '2025-04-01' },
				{ kind: 'other', label: 'Process redesign and change management', amount: 6_000_000, date: '2025-05-01' }
			]),
		baseline: PeriodSchema.default({ from: '2024-11-01', to: '2025-04-30' }),
		comparison: PeriodSchema.default({ from: '2026-05-01', to: '2026-10-31' }),
		/** Value of keeping one customer (customer lifetime value). */
		clv: money.default(18_000),
		costPerMinute: money.default(12),
		costPerComplaint: money.default(850),
		costPerContact: money.default(95),
		/** Customers served a year (the CRM's active customers when 0). */
		customers: z.number().int().min(0).max(1e10).default(0),
		/** Contacts a year (measured comparison-period volume, annualised, when 0). */
		annualContacts: z.number().int().min(0).max(1e12).default(0),
		discountRate: z.number().min(0).max(1).default(0.08),
		years: z.number().int().min(1).max(10).default(3),
		industryClvUplift: z.number().min(-1).max(10).default(0.06),
		/** Passive complaints target: this much below the baseline rate. */
		complaintReductionTarget: z.number().min(0).max(1).default(0.4)
	})
	.meta({ description: 'ROI model assumptions (stored setting "roi").' });
export type RoiAssumptions = z.infer<typeof RoiAssumptionsSchema>;

/**
 * An update schema: every field optional and WITHOUT its default. TRICKY: zod's `.partial()` keeps
 * defaults, so `{ clv: 1 }` would parse to a full object and an update would silently reset every
 * other stored field to its default.
 */
export function partialUpdate<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
	const shape = Object.fromEntries(
		Object.entries(schema.shape).map(([k, v]) => [
			k,
			(v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : (v as z.ZodType)).optional()
		])
	);
	return z.object(shape).strict();
}

/** Updates replace the given fields; periods and investments are replaced whole. */
export const RoiAssumptionsUpdateSchema = partialUpdate(RoiAssumptionsSchema);

export const DisplaySettingsSchema = z.object({
	timeZone: z.string().max(64).default('UTC')
});
export type DisplaySettings = z.infer<typeof DisplaySettingsSchema>;

const numOrNull = z.number().nullable();

export const KpiLevelsSchema = z.object({
	fcr: numOrNull,
	csat: numOrNull,
	ahtSeconds: numOrNull,
	firstResponseSeconds: numOrNull,
	complaintRate: numOrNull,
	churnRate: numOrNull.meta({ description: 'Annualised share of active customers lost.' }),
	contactsPerCustomer: numOrNull.meta({ description: 'Contacts a customer makes a year.' }),
	contacts: z.number(),
	handledContacts: z.number(),
	days: z.number()
});
export type KpiLevels = z.infer<typeof KpiLevelsSchema>;

export const ScorecardSchema = z.object({
	kpi: z.enum(['fcr', 'csat', 'complaints', 'aht', 'firstResponse']),
	higher: z.boolean(),
	baseline: numOrNull,
	current: numOrNull,
	target: z.number().nullable(),
	/** Share of the way from baseline to target (may exceed 1 or be negative). */
	progress: numOrNull,
	met: z.boolean(),
	/** Week the forecast first reaches the target, null when not within the forecast horizon. */
	reachBy: day.nullable(),
	/**
	 * Whether a forecast may date the target: `validated` when its backtest ran and beat
	 * seasonal-naive, `unvalidated` when it could not be checked (no date is claimed then).
	 */
	forecast: z.enum(['validated', 'unvalidated', 'none'])
});
export type Scorecard = z.infer<typeof ScorecardSchema>;
