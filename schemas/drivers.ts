/**
 * Why this exists: inputs and outputs of the key-driver endpoints (`drivers.contacts`,
 * `drivers.churn`), shared by the router (input validation), the query module (answer checks) and
 * the pages (types). Outcomes and factors are closed lists, so nothing a caller sends reaches SQL.
 */
import { z } from 'zod';
import { dateRange, day } from './fields';

/** Outcomes measured on contacts; churn is measured on customers. */
export const CONTACT_OUTCOMES = ['csat', 'nps', 'negative'] as const;
export const ContactOutcomeSchema = z
	.enum(CONTACT_OUTCOMES)
	.meta({ description: 'csat (0–10), nps (−100..100), or negative (share of contacts with negative sentiment).' });
export type ContactOutcome = z.infer<typeof ContactOutcomeSchema>;
export const OUTCOMES = [...CONTACT_OUTCOMES, 'churn'] as const;
export type DriverOutcome = (typeof OUTCOMES)[number];

/** What may move a contact's outcome, and a customer's churn. */
export const CONTACT_FACTORS = [
	'touchpoint',
	'channel',
	'segment',
	'tier',
	'fcr',
	'transferred',
	'wait',
	'handle'
] as const;
export const CUSTOMER_FACTORS = ['segment', 'tier', 'region', 'tenure', 'complaints', 'unresolved', 'csat'] as const;
export const DriverFactorSchema = z.enum([...new Set([...CONTACT_FACTORS, ...CUSTOMER_FACTORS])] as [
	string,
	...string[]
]);
export type DriverFactor = (typeof CONTACT_FACTORS)[number] | (typeof CUSTOMER_FACTORS)[number];

export const ContactDriversInputSchema = dateRange(
	z.strictObject({ outcome: ContactOutcomeSchema.default('csat'), from: day(), to: day() }),
	5
).meta({ description: 'The outcome and the date range (whole months: the driver cells are monthly).' });
export type ContactDriversInput = z.infer<typeof ContactDriversInputSchema>;

export const ChurnDriversInputSchema = z
	.strictObject({})
	.optional()
	.meta({ description: 'Churn drivers over every customer whose status the CRM states.' });

const finite = z.number().refine(Number.isFinite, 'a finite number');
const bound = z.number().nullable();

export const DriverLevelSchema = z.object({
	level: z.string(),
	n: finite,
	share: finite,
	mean: finite,
	effect: finite,
	effectLo: bound,
	effectHi: bound,
	gain: finite,
	gainLo: bound,
	gainHi: bound
});
export type DriverLevel = z.infer<typeof DriverLevelSchema>;

export const DriverFactorResultSchema = z.object({
	factor: DriverFactorSchema,
	importance: finite,
	importanceLo: bound,
	importanceHi: bound,
	reference: z.string(),
	levels: z.array(DriverLevelSchema)
});
export type DriverFactorResult = z.infer<typeof DriverFactorResultSchema>;

/** One thing to fix: a factor level doing worse than its factor's typical level. */
export const DriverFixSchema = DriverLevelSchema.extend({ factor: DriverFactorSchema });
export type DriverFix = z.infer<typeof DriverFixSchema>;

export const DriversSchema = z.object({
	outcome: z.enum(OUTCOMES),
	/** Higher is better (CSAT, NPS) or worse (negative sentiment, churn). */
	higherIsBetter: z.boolean(),
	/** 'empty': too few responses to fit a model. */
	status: z.enum(['ok', 'empty']),
	n: finite,
	mean: finite,
	r2: finite,
	reps: finite,
	factors: z.array(DriverFactorResultSchema),
	/** Levels ranked by what fixing them would gain overall, largest first. */
	fixes: z.array(DriverFixSchema)
});
export type Drivers = z.infer<typeof DriversSchema>;
