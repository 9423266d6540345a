/**
 * Why this exists: the canonical shapes every source is mapped into before it reaches ClickHouse.
 * Ingest validates each mapped record against these; the server and UI share the enums.
 * Field names are the ClickHouse column names (snake_case) so a validated record is a row.
 */
import { z } from 'zod';

export const STAGES = ['awareness', 'consideration', 'purchase', 'delivery', 'after_sales', 'loyalty'] as const;
export const StageSchema = z.enum(STAGES).meta({ description: 'Default lifecycle stage id.' });
export type Stage = z.infer<typeof StageSchema>;

export const CHANNELS = [
	'phone',
	'chat',
	'email',
	'app',
	'web',
	'store',
	'weibo',
	'wechat',
	'x',
	'reddit',
	'social',
	// Post, fax, a referral from another body: what no channel above names.
	'other'
] as const;
export const ChannelSchema = z.enum(CHANNELS).meta({ description: 'How the customer reached us.' });
export type Channel = z.infer<typeof ChannelSchema>;

export const SCENARIOS = ['transaction', 'after_sales', 'complaint', 'inquiry'] as const;
export const ScenarioSchema = z.enum(SCENARIOS).meta({ description: 'The kind of need behind a contact.' });
export type Scenario = z.infer<typeof ScenarioSchema>;

export const OUTCOMES = ['resolved', 'unresolved', 'escalated', 'transferred', 'abandoned'] as const;

const text = (max: number) => z.string().trim().max(max);
const seconds = z
	.number()
	.min(0)
	.max(7 * 24 * 3600);
/** Empty string means "unknown/unassigned" in ClickHouse (LowCardinality columns, no Nullable). */
const orEmpty = <T extends z.ZodType>(s: T) => z.union([s, z.literal('')]);
/**
 * One of the options or empty, as one enum: a refused value is then reported with the options
 * ('outcome: Invalid option: expected one of "resolved"|…|""') where a union said only "Invalid input".
 */
const optionOrEmpty = <const T extends readonly [string, ...string[]]>(options: T) => z.enum([...options, '']);

export const CustomerSchema = z
	.object({
		customer_id: text(128).min(1),
		source: text(64).min(1),
		name: text(256).default(''),
		email: text(256).default(''),
		phone: text(64).default(''),
		segment: text(64).default(''),
		tier: text(64).default('').meta({ description: 'Value tier from revenue / lifetime value.' }),
		region: text(64).default(''),
		account_opened: z.iso.date().nullable().default(null),
		lifetime_value: z.number().min(0).default(0),
		revenue: z.number().min(0).default(0),
		status: optionOrEmpty(['active', 'churned'])
			.default('')
			.meta({ description: 'The outcome as the CRM states it; empty when it does not (never taken as active).' }),
		churn_date: z.iso.date().nullable().default(null),
		attributes: z.record(z.string(), z.string()).default({})
	})
	.meta({ description: 'A customer as known to the CRM.' });
export type Customer = z.infer<typeof CustomerSchema>;

export const InteractionSchema = z
	.object({
		source: text(64).min(1),
		source_id: text(256).min(1),
		customer_id: text(128).default('').meta({ description: "'' for anonymous (e.g. social authors)." }),
		ts: z.iso.datetime({ offset: true }).meta({ description: 'When it happened (ISO 8601, UTC).' }),
		channel: ChannelSchema,
		stage: orEmpty(text(64)).default(''),
		touchpoint: text(128).default(''),
		scenario: optionOrEmpty(SCENARIOS).default(''),
		intent: text(128).default(''),
		is_complaint: z.boolean().default(false),
		outcome: optionOrEmpty(OUTCOMES).default(''),
		fcr: z.boolean().nullable().default(null).meta({ description: 'Resolved at first contact.' }),
		wait_s: seconds.nullable().default(null),
		handle_s: seconds.nullable().default(null),
		first_response_s: seconds.nullable().default(null),
		csat: z.number().nullable().default(null).meta({ description: 'CSAT on the source scale.' }),
		csat_scale_min: z.number().default(1),
		csat_scale_max: z.number().default(5),
		nps: z.number().int().min(0).max(10).nullable().default(null),
		sentiment: z.number().min(-1).max(1).nullable().default(null),
		language: text(16).default(''),
		text: text(20_000).default(''),
		agent: text(128).default(''),
		team: text(128).default(''),
		region: text(64).default(''),
		product: text(128).default(''),
		segment: text(64).default(''),
		attributes: z.record(z.string(), z.string()).default({})
	})
	.refine((r) => r.csat === null || (r.csat >= r.csat_scale_min && r.csat <= r.csat_scale_max), {
		message: 'csat is outside its scale',
		path: ['csat']
	})
	.meta({ description: 'One customer contact or event, from any source.' });
export type Interaction = z.infer<typeof InteractionSchema>;

export const OrderSchema = z
	.object({
		order_id: text(128).min(1),
		source: text(64).min(1),
		customer_id: text(128).min(1),
		ts: z.iso.datetime({ offset: true }),
		amount: z.number().min(0),
		currency: text(8).default(''),
		status: text(32).default(''),
		channel: optionOrEmpty(CHANNELS).default(''),
		items: z.number().int().min(0).default(1),
		product: text(128).default(''),
		attributes: z.record(z.string(), z.string()).default({})
	})
	.meta({ description: 'A transaction: value, purchase stage, lifetime value.' });
export type Order = z.infer<typeof OrderSchema>;

export const ENTITY_SCHEMAS = {
	customer: CustomerSchema,
	interaction: InteractionSchema,
	order: OrderSchema
} as const;
export type EntityKind = keyof typeof ENTITY_SCHEMAS;

/** CSAT normalised to 0–10 from its source scale. */
export function csatTo10(value: number, min: number, max: number): number {
	return max === min ? 0 : ((value - min) / (max - min)) * 10;
}
