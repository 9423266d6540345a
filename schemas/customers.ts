/**
 * Why this exists: the inputs, outputs and stored rules of the customer-profile endpoints
 * (high-value segment, needs by scenario, churn early warning, customer 360), shared by the tRPC
 * router (validation), the query modules (row checks) and the pages (types).
 */
import { z } from 'zod';
import { SCENARIOS } from './entities';
import { num, numOrNull } from './fields';

export const TIER_BASES = ['lifetime_value', 'revenue'] as const;

/**
 * The rules in force. Stored under the `customers.rules` setting; every field has a default so an
 * older or partial stored value still yields complete rules.
 */
export const CustomerRulesSchema = z
	.object({
		highValue: z
			.object({
				minTenureYears: z.number().min(0).max(50).default(3).meta({ description: 'Account age at least this.' }),
				minMonthlyInteractions: z
					.number()
					.min(0)
					.max(10_000)
					.default(5)
					.meta({ description: 'Interactions a month, averaged over `months`.' }),
				months: z.number().int().min(1).max(24).default(3).meta({ description: 'The last N months of data.' })
			})
			.default({ minTenureYears: 3, minMonthlyInteractions: 5, months: 3 }),
		tiers: z
			.object({
				basis: z.enum(TIER_BASES).default('lifetime_value'),
				platinum: z.number().min(0).max(1e12).default(5000),
				gold: z.number().min(0).max(1e12).default(2000),
				silver: z.number().min(0).max(1e12).default(500)
			})
			.refine((t) => t.platinum >= t.gold && t.gold >= t.silver, {
				message: 'tier thresholds must satisfy platinum ≥ gold ≥ silver'
			})
			.default({ basis: 'lifetime_value', platinum: 5000, gold: 2000, silver: 500 }),
		churn: z
			.object({
				quietDays: z.number().int().min(7).max(730).default(90),
				repeatWindowDays: z.number().int().min(1).max(365).default(30),
				repeatMin: z.number().int().min(2).max(20).default(2),
				sentimentDrop: z.number().min(0.05).max(2).default(0.3)
			})
			.default({ quietDays: 90, repeatWindowDays: 30, repeatMin: 2, sentimentDrop: 0.3 })
	})
	.meta({ description: 'High-value rule, value tiers and churn-signal thresholds.' });
export type CustomerRules = z.infer<typeof CustomerRulesSchema>;

export const CustomerRulesUpdateSchema = z
	.object({
		highValue: CustomerRulesSchema.shape.highValue.unwrap().partial().strict().optional(),
		tiers: z
			.object({
				basis: z.enum(TIER_BASES),
				platinum: z.number().min(0).max(1e12),
				gold: z.number().min(0).max(1e12),
				silver: z.number().min(0).max(1e12)
			})
			.partial()
			.strict()
			.optional(),
		churn: CustomerRulesSchema.shape.churn.unwrap().partial().strict().optional()
	})
	.strict();
export type CustomerRulesUpdate = z.infer<typeof CustomerRulesUpdateSchema>;

export const GROUPS = ['high_value', 'others'] as const;
export const GroupSchema = z.enum(GROUPS);
export type Group = z.infer<typeof GroupSchema>;

export const PeriodInputSchema = z
	.object({ months: z.number().int().min(1).max(36).default(12) })
	.default({ months: 12 })
	.meta({ description: 'The last N months of data.' });

export const CountSchema = z.object({ key: z.string(), n: num });

export const PortraitSchema = z.object({
	group: GroupSchema,
	customers: num,
	revenue: num,
	revenueShare: num,
	avgLifetimeValue: numOrNull,
	medianTenureYears: numOrNull,
	interactions: num,
	interactionsPerCustomerMonth: numOrNull,
	complaints: num,
	csat: numOrNull,
	sentiment: numOrNull,
	unresolvedShare: numOrNull,
	channels: z.array(CountSchema),
	stages: z.array(CountSchema),
	intents: z.array(CountSchema),
	tiers: z.array(CountSchema)
});
export type Portrait = z.infer<typeof PortraitSchema>;

export const SegmentsSchema = z.object({
	rules: CustomerRulesSchema,
	asOf: z.iso.date().nullable(),
	months: z.number(),
	groups: z.array(PortraitSchema)
});
export type Segments = z.infer<typeof SegmentsSchema>;

export const NeedsInputSchema = z
	.object({
		months: z.number().int().min(2).max(36).default(12),
		top: z.number().int().min(1).max(20).default(5)
	})
	.default({ months: 12, top: 5 });

export const NeedRowSchema = z.object({
	scenario: z.enum(SCENARIOS),
	group: z.enum(['high_value', 'all']),
	/** The need: an intent, or the name of a contact reason (then `reason` is its id). */
	intent: z.string(),
	reason: z.string().nullable(),
	interactions: num,
	share: num,
	/** Volume in the latest 3 months against the 3 before (null when there were none before). */
	trend: numOrNull,
	monthly: z.array(num)
});
export type NeedRow = z.infer<typeof NeedRowSchema>;
export const NeedsSchema = z.object({
	months: z.array(z.iso.date()),
	rows: z.array(NeedRowSchema)
});
export type Needs = z.infer<typeof NeedsSchema>;

export const SIGNALS = ['quiet', 'repeat_complaints', 'falling_sentiment', 'unresolved'] as const;
export const SignalSchema = z.enum(SIGNALS);
export type Signal = z.infer<typeof SignalSchema>;

export const SignalNowSchema = z.object({
	group: GroupSchema,
	customers: num,
	quiet: num,
	repeatComplaints: num,
	fallingSentiment: num,
	unresolved: num
});
export const SignalTrendSchema = z.object({
	month: z.iso.date(),
	group: GroupSchema,
	customers: num,
	quietShare: numOrNull,
	repeatComplaints: num,
	sentiment: numOrNull,
	unresolvedShare: numOrNull
});
export const SignalsSchema = z.object({
	asOf: z.iso.date().nullable(),
	rules: CustomerRulesSchema,
	now: z.array(SignalNowSchema),
	trend: z.array(SignalTrendSchema)
});
export type Signals = z.infer<typeof SignalsSchema>;

export const ReasonSchema = z.object({
	feature: z.string(),
	/** How much lower the risk (0–1) would be were this feature typical. */
	weight: z.number(),
	/** The customer's value; null when there is none on record (no contact yet). */
	value: z.number().nullable(),
	/** The typical value among the customers the model learned from (the median); null for a category. */
	typical: z.number().nullable().default(null),
	/** For a category, the most common one. */
	typicalLabel: z.string().optional(),
	/** The customer's value is above the typical one (for the wording). */
	above: z.boolean(),
	text: z.string()
});
export type Reason = z.infer<typeof ReasonSchema>;

export const AtRiskInputSchema = z
	.object({
		group: z.enum(['all', 'high_value', 'others']).default('all'),
		signal: z.enum(['any', ...SIGNALS]).default('any'),
		minRisk: z.number().min(0).max(1).default(0.2),
		segment: z.string().trim().max(64).default(''),
		tier: z.string().trim().max(64).default(''),
		/** `priority`: value × risk (whom to call first); `risk`: the churn risk alone. */
		sort: z.enum(['priority', 'risk']).default('priority'),
		limit: z.number().int().min(1).max(10_000).default(100),
		offset: z.number().int().min(0).max(1_000_000).default(0)
	})
	.default({
		group: 'all',
		signal: 'any',
		minRisk: 0.2,
		segment: '',
		tier: '',
		sort: 'priority',
		limit: 100,
		offset: 0
	});
export type AtRiskInput = z.infer<typeof AtRiskInputSchema>;

export const AtRiskRowSchema = z.object({
	customerId: z.string(),
	score: num,
	value: num,
	priority: num,
	highValue: z.boolean(),
	segment: z.string(),
	tier: z.string(),
	region: z.string(),
	/** Null when the customer has no contact on record. */
	daysSinceLast: numOrNull,
	complaints90d: num,
	repeatComplaints: num,
	unresolved90d: num,
	sentimentDelta: numOrNull,
	reasons: z.array(ReasonSchema)
});
export type AtRiskRow = z.infer<typeof AtRiskRowSchema>;
export const AtRiskSchema = z.object({
	total: num,
	refreshedAt: z.string().nullable(),
	model: z
		.object({
			learner: z.enum(['logistic', 'forest']),
			/** AUC on customers held out of training (30%); null when they hold too few of either outcome. */
			auc: numOrNull,
			/** Logistic regression's AUC on the same held-out customers. */
			baselineAuc: numOrNull,
			heldOut: num,
			trainedOn: num,
			churned: num,
			/** Customers the CRM gives no outcome for: scored, not trained on. */
			unknown: num
		})
		.nullable(),
	/** The day the scores are as of (the last day the data knows of). */
	asOf: z.iso.date().nullable(),
	/** Whether any customer has a contact on record; without, contact-based signals are not shown. */
	interactions: z.boolean(),
	rows: z.array(AtRiskRowSchema)
});
export type AtRisk = z.infer<typeof AtRiskSchema>;

export const CustomerIdSchema = z
	.string()
	.trim()
	.min(1)
	.max(128)
	.regex(/^[\w.@:+-]+$/, 'customer id may hold letters, digits and . _ @ : + - only');

export const TimelineRowSchema = z.object({
	ts: z.string(),
	interactionId: z.string(),
	source: z.string(),
	channel: z.string(),
	stage: z.string(),
	touchpoint: z.string(),
	scenario: z.string(),
	intent: z.string(),
	complaint: z.boolean(),
	outcome: z.string(),
	csat: numOrNull,
	sentiment: numOrNull,
	text: z.string()
});
export type TimelineRow = z.infer<typeof TimelineRowSchema>;

export const OrderRowSchema = z.object({
	ts: z.string(),
	orderId: z.string(),
	amount: num,
	currency: z.string(),
	status: z.string(),
	channel: z.string(),
	product: z.string()
});

export const Customer360Schema = z.object({
	customerId: z.string(),
	name: z.string(),
	email: z.string(),
	phone: z.string(),
	segment: z.string(),
	tier: z.string(),
	valueTier: z.string(),
	region: z.string(),
	accountOpened: z.string().nullable(),
	tenureYears: numOrNull,
	lifetimeValue: num,
	revenue: num,
	status: z.string(),
	highValue: z.boolean(),
	interactions: num,
	complaints: num,
	csat: numOrNull,
	sentiment: numOrNull,
	lastInteraction: z.string().nullable(),
	risk: z.object({ score: num, reasons: z.array(ReasonSchema) }).nullable(),
	timeline: z.array(TimelineRowSchema),
	orders: z.array(OrderRowSchema)
});
export type Customer360 = z.infer<typeof Customer360Schema>;
