/**
 * Why this exists: a contact through chat, email, the app or the web, as a helpdesk (Zendesk-like)
 * exports its ticket — subject and description, category, type, status, priority, tags, the
 * satisfaction rating and the reply / resolution / work-time metrics.
 */
import type { TicketRecord } from '../../schemas/sources';
import type { Contact, Handled } from './contact';
import { iso, normal, pick, round2, type Rng } from './random';
import { subjectOf, wrap } from './texts';

export function ticketRecord(r: Rng, x: Contact, channel: string, id: number): Handled & { ticket: TicketRecord } {
	const { c, t, topic, complaint, resolved, repeat, body, tone, survey } = x;
	const { zh, highValue } = c;
	const replyMin = Math.round(-Math.log(1 - r()) * (channel === 'chat' ? 2 : 240));
	const status = resolved ? 'solved' : pick(r, ['open', 'pending', 'solved'] as const);
	const answered = r() < 0.4;
	const ticket: TicketRecord = {
		id,
		requester: { external_id: c.id },
		created_at: iso(t),
		via: {
			channel: channel === 'chat' ? 'chat' : channel === 'email' ? 'email' : channel === 'app' ? 'mobile_sdk' : 'web'
		},
		subject: subjectOf(body, zh),
		description: wrap(r, body, tone, zh, false),
		category: topic.category,
		type: complaint ? 'complaint' : topic.scenario === 'transaction' ? 'task' : 'question',
		status,
		priority: complaint ? 'high' : 'normal',
		locale: zh ? 'zh-CN' : 'en-US',
		tags: [topic.key, ...(highValue ? ['vip'] : []), ...(repeat ? ['repeat_contact'] : [])],
		satisfaction_rating: answered ? { score: survey } : null,
		metrics: {
			reply_time_in_minutes: replyMin,
			full_resolution_time_in_minutes:
				status === 'solved'
					? replyMin + Math.round(-Math.log(1 - r()) * (resolved ? 600 : 4 * 1440) * (1 + topic.repeatRate * 4))
					: null,
			agent_work_time_in_minutes: round2((topic.handleSeconds / 60) * Math.exp(0.4 * normal(r))),
			replies: resolved ? 1 + Math.floor(r() * 2) : 2 + Math.floor(r() * 4),
			reopens: resolved ? 0 : Math.floor(r() * 3),
			one_touch: resolved && !repeat
		}
	};
	return { ticket, unresolved: !resolved, answered };
}
