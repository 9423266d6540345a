/**
 * Why this exists: the shapes of alert rules, destinations, per-user subscriptions and deliveries,
 * shared by the tRPC router (input validation: a bad e-mail, an unknown rule kind or quiet hours
 * out of range are a 400 with a message), the evaluator and the admin page.
 */
import { z } from 'zod';
import { TrendKpiSchema } from './trends';

export const RULE_KINDS = ['kpi_anomaly', 'red_pain_point', 'reason_surge', 'high_value_churn'] as const;
export const RuleKindSchema = z.enum(RULE_KINDS);
export type RuleKind = z.infer<typeof RuleKindSchema>;

const id = z
	.string()
	.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id: lower-case letters, digits and dashes')
	.meta({ description: 'Lower-case letters, digits and dashes.' });
const name = z.string().trim().min(1).max(120);
const hour = z.number().int().min(0, 'an hour from 0 to 23').max(23, 'an hour from 0 to 23');

export const QuietHoursSchema = z
	.object({ start: hour, end: hour })
	.refine((q) => q.start !== q.end, 'quiet hours must start and end at different hours')
	.meta({
		description:
			'Hours (0–23, reporting time zone) from `start` up to `end` when nothing is sent; what falls inside is held and sent at `end`. May wrap midnight (22 → 7).'
	});
export type QuietHours = z.infer<typeof QuietHoursSchema>;

const ruleBase = {
	id,
	name,
	enabled: z.boolean().default(true),
	/** The same alert (rule and subject) is not sent again within this many hours. */
	windowHours: z
		.number()
		.int()
		.min(1)
		.max(24 * 90)
		.default(24 * 7),
	/** Team destinations (admin-managed) that get every alert of this rule; subscribers come on top. */
	destinationIds: z.array(id).max(20).default([])
};

export const RuleSchema = z.discriminatedUnion('kind', [
	z.object({
		...ruleBase,
		kind: z.literal('kpi_anomaly'),
		params: z
			.object({
				kpis: z.array(TrendKpiSchema).min(1).max(20).optional(),
				interval: z.enum(['day', 'week']).default('week'),
				/** Band half-widths beyond the 95% band's edge (0: any point outside the band). */
				minSize: z.number().min(0).max(100).default(0)
			})
			.strict()
			.default({ interval: 'week', minSize: 0 })
	}),
	z.object({
		...ruleBase,
		kind: z.literal('red_pain_point'),
		params: z
			.object({
				by: z.enum(['touchpoint', 'reason']).default('touchpoint'),
				/** The window judged: this many days up to the data's last day. */
				days: z.number().int().min(7).max(365).default(28),
				/** Rise in severity score since the last evaluation that counts as worsening. */
				minRise: z.number().min(0).max(10).default(0.1)
			})
			.strict()
			.default({ by: 'touchpoint', days: 28, minRise: 0.1 })
	}),
	z.object({
		...ruleBase,
		kind: z.literal('reason_surge'),
		params: z
			.object({
				days: z.number().int().min(1).max(90).default(7),
				/** Contacts now ÷ contacts in the equal period before. */
				minRatio: z.number().min(1).max(100).default(1.5),
				minCount: z.number().int().min(1).max(1_000_000).default(20)
			})
			.strict()
			.default({ days: 7, minRatio: 1.5, minCount: 20 })
	}),
	z.object({
		...ruleBase,
		kind: z.literal('high_value_churn'),
		params: z
			.object({
				/** Rise of the high-value group's quiet (churn-risk) share, in points of 1, vs the months before. */
				minRise: z.number().min(0).max(1).default(0.05),
				baselineMonths: z.number().int().min(1).max(12).default(3)
			})
			.strict()
			.default({ minRise: 0.05, baselineMonths: 3 })
	})
]);
export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

export const DestinationSchema = z.discriminatedUnion('type', [
	z
		.object({
			id,
			name,
			type: z.literal('email'),
			address: z.email('an e-mail address'),
			quietHours: QuietHoursSchema.nullable().default(null),
			enabled: z.boolean().default(true)
		})
		.strict(),
	z
		.object({
			id,
			name,
			type: z.literal('webhook'),
			url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000),
			/** Slack's and Teams' incoming webhooks both read `text`; Teams' also its MessageCard fields. */
			format: z.enum(['slack', 'teams']).default('slack'),
			quietHours: QuietHoursSchema.nullable().default(null),
			enabled: z.boolean().default(true)
		})
		.strict()
]);
export type Destination = z.infer<typeof DestinationSchema>;

export const SubscriptionInputSchema = z
	.object({
		/** Rule ids, or `all`. */
		rules: z.union([z.literal('all'), z.array(id).max(100)]).default([]),
		digest: z.boolean().default(false),
		/** `email`: the user's own address; otherwise a webhook destination's id. */
		channel: z.union([z.literal('email'), id]).default('email'),
		quietHours: QuietHoursSchema.nullable().default(null)
	})
	.strict();
export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;
export const SubscriptionSchema = SubscriptionInputSchema.extend({
	userId: z.string(),
	email: z.string()
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const DELIVERY_STATUSES = ['pending', 'held', 'retrying', 'sent', 'failed'] as const;
export const DeliverySchema = z.object({
	id: z.string(),
	alertKey: z.string(),
	ruleId: z.string(),
	kind: z.string(),
	title: z.string(),
	channel: z.enum(['email', 'webhook']),
	destinationId: z.string(),
	target: z.string().meta({ description: 'The address or the webhook host, never a secret.' }),
	status: z.enum(DELIVERY_STATUSES),
	attempts: z.number(),
	lastError: z.string(),
	createdAt: z.string(),
	nextAttemptAt: z.string(),
	sentAt: z.string().nullable()
});
export type Delivery = z.infer<typeof DeliverySchema>;

export const DeliveryListInputSchema = z
	.object({
		status: z.enum(DELIVERY_STATUSES).optional(),
		limit: z.number().int().min(1).max(500).default(100)
	})
	.strict()
	.default({ limit: 100 });

/** One alert a rule raised: the same (rule, subject) within the rule's window is one alert. */
export interface Alert {
	ruleId: string;
	ruleName: string;
	kind: RuleKind;
	/** What the alert is about (a KPI and bucket, a pain point id, a reason id, `high_value`). */
	subject: string;
	title: string;
	/** One or two plain sentences with the figures. */
	text: string;
	/** A page of the dashboard that shows it, relative to the app's base URL. */
	link: string;
}
