/**
 * Why this exists: the ROI model's stored assumptions and the roi.summary output, shared by the
 * settings router (zod-validated updates), the ROI query module and the /roi page. Every number the
 * ROI rests on is an assumption here, in plain sight and editable — nothing is hidden in code.
 */
import { z } from 'zod';
import { day as dayField } from './fields';

const day = dayField();
const money = z.number().min(0).max(1e13);

/** An ISO 4217 code (CNY, EUR, USD…); empty: not set. */
const currency = z
	.string()
	.trim()
	.toUpperCase()
	.regex(/^([A-Z]{3})?$/, { message: 'a three-letter currency code, e.g. EUR' });

export const InvestmentSchema = z.object({
	kind: z.enum(['training', 'technology', 'other']),
	label: z.string().trim().max(120).default(''),
	amount: money,
	/** The amount's currency when it is not the ROI's own (empty: the ROI's currency). */
	currency: currency.default(''),
	date: day
});
export type Investment = z.infer<typeof InvestmentSchema>;

const PeriodSchema = z
	.object({ from: day, to: day })
	.refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['from'] });

/**
 * Defaults fit any data: no currency until one is set, no investment until one is entered, and the
 * baseline and comparison periods taken from the data's own range (null here). The demo stores the
 * reference case instead (REFERENCE_ROI).
 */
export const RoiAssumptionsSchema = z
	.object({
		currency: currency.default(''),
		investments: z.array(InvestmentSchema).max(50).default([]),
		/** Null: the first half-year of the data (the first half when it spans less than a year). */
		baseline: PeriodSchema.nullable().default(null),
		/** Null: the last half-year of the data (the second half when it spans less than a year). */
		comparison: PeriodSchema.nullable().default(null),
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
 * The reference case the demo is loaded with: CNY 41M invested in training, technology and other;
 * baseline the demo's first half-year, comparison its last (CLTV uplift against an industry +6%).
 */
export const REFERENCE_ROI: z.input<typeof RoiAssumptionsSchema> = {
	currency: 'CNY',
	investments: [
		{ kind: 'training', label: 'Agent training programme', amount: 9_000_000, date: '2025-03-01' },
		{ kind: 'technology', label: 'Omnichannel platform and analytics', amount: 26_000_000, date: '2025-04-01' },
		{ kind: 'other', label: 'Process redesign and change management', amount: 6_000_000, date: '2025-05-01' }
	],
	baseline: { from: '2024-11-01', to: '2025-04-30' },
	comparison: { from: '2026-05-01', to: '2026-10-31' }
};

/** Why a number on the ROI page is not shown, or is shown with a caveat. */
export const ROI_WARNINGS = [
	'currencyUnset',
	'mixedCurrencies',
	'noInvestment',
	'retentionNoBaseline',
	'handleTimeNoBaseline',
	'complaintsNoBaseline',
	'deflectionNoBaseline',
	'clvAboveMeasured'
] as const;
export type RoiWarning = (typeof ROI_WARNINGS)[number];

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
	/** The baseline already met the target: there was no way to go, so no progress to show. */
	metAtBaseline: z.boolean().default(false),
	/** Week the forecast first reaches the target, null when not within the forecast horizon. */
	reachBy: day.nullable(),
	/** Sources (and their channels) that measure this KPI in the comparison period; empty: not measured. */
	measuredBy: z.array(z.object({ source: z.string(), channel: z.string(), contacts: z.number() })).default([]),
	/**
	 * Whether a forecast may date the target: `validated` when its backtest ran and beat
	 * seasonal-naive, `unvalidated` when it could not be checked (no date is claimed then).
	 */
	forecast: z.enum(['validated', 'unvalidated', 'none'])
});
export type Scorecard = z.infer<typeof ScorecardSchema>;
