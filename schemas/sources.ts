/**
 * Why this exists: the shapes of the SOURCE records the demo generator writes — what a CRM, a
 * Zendesk-like help desk, a call-center platform and a social-listening tool export — as opposed to
 * the canonical rows in entities.ts. The generator types its rows from these, the CSV column order
 * is taken from them (one definition of each header), and tests validate generated files against
 * them. The declarative mappings in ingest/mappings/demo/ translate these shapes into canonical rows.
 */
import { z } from 'zod';

/** CSV cells are text; empty means "not known". */
const cell = z.string();
const numberCell = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number');
const optionalNumberCell = z.union([numberCell, z.literal('')]);
const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
/** `YYYY-MM-DD HH:mm:ss`, local to the exporting system (UTC for the demo). */
const sqlDateTime = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'YYYY-MM-DD HH:mm:ss');

export const CrmCustomerRowSchema = z
	.object({
		customer_id: cell.min(1),
		full_name: cell,
		email: cell,
		phone: cell,
		segment: z.enum(['consumer', 'business']),
		tier: z.enum(['bronze', 'silver', 'gold', 'platinum']),
		region: cell,
		preferred_language: z.enum(['en-US', 'zh-CN']),
		account_opened: isoDate,
		lifetime_value: numberCell,
		revenue_12m: numberCell,
		status: z.enum(['Active', 'Churned']),
		churn_date: z.union([isoDate, z.literal('')])
	})
	.meta({ description: 'One row of crm/customers.csv: a CRM account export.' });
export type CrmCustomerRow = z.infer<typeof CrmCustomerRowSchema>;

export const CrmOrderRowSchema = z
	.object({
		order_id: cell.min(1),
		customer_id: cell.min(1),
		created_at: isoDateTime,
		amount: numberCell,
		currency: z.enum(['USD', 'CNY']),
		status: z.enum(['completed', 'returned', 'cancelled']),
		channel: z.enum(['web', 'app', 'store']),
		items: z.string().regex(/^\d+$/),
		category: cell
	})
	.meta({ description: 'One row of crm/orders.csv: an order from the CRM / commerce system.' });
export type CrmOrderRow = z.infer<typeof CrmOrderRowSchema>;

export const TicketRecordSchema = z
	.object({
		id: z.number().int().positive(),
		requester: z.object({ external_id: z.string().min(1) }),
		created_at: isoDateTime,
		via: z
			.object({ channel: z.enum(['email', 'chat', 'web', 'mobile_sdk']) })
			.meta({ description: "Zendesk's via.channel; mobile_sdk is the in-app widget." }),
		subject: z.string(),
		description: z.string(),
		category: z.string().meta({ description: 'Help-desk category (a custom field in Zendesk).' }),
		type: z.enum(['question', 'task', 'complaint']),
		status: z.enum(['open', 'pending', 'solved']),
		priority: z.enum(['normal', 'high']),
		locale: z.enum(['en-US', 'zh-CN']),
		tags: z.array(z.string()),
		satisfaction_rating: z
			.object({ score: z.number().int().min(1).max(5) })
			.nullable()
			.meta({ description: 'Post-ticket survey, 1–5; null when not answered.' }),
		metrics: z.object({
			reply_time_in_minutes: z.number().min(0),
			full_resolution_time_in_minutes: z.number().min(0).nullable(),
			agent_work_time_in_minutes: z.number().min(0),
			replies: z.number().int().min(0),
			reopens: z.number().int().min(0),
			one_touch: z.boolean()
		})
	})
	.meta({ description: 'One line of crm/tickets.ndjson: a Zendesk-like support ticket with its metrics.' });
export type TicketRecord = z.infer<typeof TicketRecordSchema>;

export const CallRecordSchema = z
	.object({
		call_id: cell.min(1),
		account_number: cell.min(1).meta({ description: 'The CRM customer id.' }),
		start_time: sqlDateTime,
		queue: cell.min(1),
		agent: cell,
		team: cell,
		wait_seconds: numberCell,
		talk_seconds: numberCell,
		hold_seconds: numberCell,
		handle_seconds: optionalNumberCell,
		disposition: z.enum(['resolved', 'unresolved', 'escalated', 'transferred', 'abandoned']),
		transferred: z.enum(['Y', 'N']),
		wrap_up: z.enum(['request', 'inquiry', 'complaint']),
		survey_score: z.union([z.enum(['1', '2', '3', '4', '5']), z.literal('')]),
		sentiment_score: optionalNumberCell.meta({ description: 'Speech-analytics sentiment, −1…1.' }),
		region: cell,
		language: z.enum(['en', 'zh']),
		transcript: cell.meta({ description: 'Short transcript snippet of what the caller said.' })
	})
	.meta({ description: 'One row of callcenter/calls.csv: a call record with its post-call survey.' });
export type CallRecord = z.infer<typeof CallRecordSchema>;

export const SOCIAL_PLATFORMS = ['weibo', 'wechat', 'x', 'reddit'] as const;

export const SocialPostSchema = z
	.object({
		platform: z.enum(SOCIAL_PLATFORMS),
		post_id: z.string().min(1),
		in_reply_to: z.string().nullable(),
		author: z.object({
			handle: z.string().min(1),
			crm_id: z.string().meta({ description: "Linked CRM customer id; '' when the author is anonymous." })
		}),
		created_at: isoDateTime,
		text: z.string().min(1),
		lang: z.enum(['en', 'zh']),
		entities: z
			.object({ hashtags: z.array(z.object({ text: z.string().min(1) })) })
			.meta({ description: 'Hashtags as the platforms return them; the first one names the topic.' }),
		likes: z.number().int().min(0),
		reposts: z.number().int().min(0)
	})
	.meta({ description: 'One line of social/posts.ndjson: a post or reply from a social-listening export.' });
export type SocialPost = z.infer<typeof SocialPostSchema>;

/** CSV header order, taken from the schemas so header and rows cannot drift apart. */
export const CRM_CUSTOMER_COLUMNS = Object.keys(CrmCustomerRowSchema.shape) as (keyof CrmCustomerRow)[];
export const CRM_ORDER_COLUMNS = Object.keys(CrmOrderRowSchema.shape) as (keyof CrmOrderRow)[];
export const CALL_COLUMNS = Object.keys(CallRecordSchema.shape) as (keyof CallRecord)[];
