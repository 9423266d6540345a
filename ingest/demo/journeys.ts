/**
 * Why this exists: a customer's contacts over its history — how many (high-value customers about
 * nine a month, others about two), when, about which topic and how each went; bad experiences
 * bring follow-ups about the same thing, and a planted complainer complains repeatedly before it
 * goes quiet. Each contact is written through the channel it took, and tallied for the ground truth.
 */
import { CALL_COLUMNS, type SocialPost } from '../../schemas/sources';
import { callRecord } from './calls';
import type { Contact, Handled } from './contact';
import type { DemoCustomer } from './customers';
import { RECENT_FROM, type ContactSummary, type Tally } from './ground-truth';
import type { DemoFiles, Sequences } from './output';
import { customerPost } from './posts';
import { clamp, contactTime, DAY, normal, pad, pick, poisson, type Rng } from './random';
import { health, pickTopic } from './signals';
import { words } from './texts';
import { ticketRecord } from './tickets';
import type { Topic } from './topics';

const SOCIAL: ReadonlySet<string> = new Set(['weibo', 'wechat', 'x', 'reddit']);

export interface JourneyContext {
	files: DemoFiles;
	/** Per topic: what was written, for the ground truth. */
	tallies: Map<string, Tally>;
	seq: Sequences;
}

/** Writes the customer's contacts; returns how many, and what they add up to. */
export function writeJourney(r: Rng, c: DemoCustomer, ctx: JourneyContext): ContactSummary & { interactions: number } {
	const { files, tallies, seq } = ctx;
	const { zh, highValue, from, activeUntil } = c;
	const summary = { interactions: 0, recent: 0, last: -Infinity, complaintsAt: new Map<string, number[]>() };
	/** The customer's latest post per platform, so a follow-up post replies to it. */
	const lastPost = new Map<string, string>();
	const perMonth = highValue ? 8 + r() * 3 : 1.5 + r() * 1.1;
	// A churner leaves a trace before it goes quiet, however short its history in the window.
	let n = Math.max(c.churn === 'none' ? 0 : 2, poisson(r, c.months * perMonth));

	const emit = (t: number, topic: Topic, forceComplaint: boolean, repeat: boolean) => {
		summary.interactions++;
		if (t >= RECENT_FROM) summary.recent++;
		if (t > summary.last) summary.last = t;
		const h = health(topic, t);
		const complaint = forceComplaint || r() < h.complaintRate;
		const negative = complaint || r() < h.negativeShare;
		const resolved = !complaint && r() < h.resolveRate + (repeat ? -0.15 : 0);
		const { body, tone } = words(r, topic, zh, t, negative, resolved);
		const survey = clamp(Math.round(h.csat + (negative ? -1.2 : 0.6) + normal(r) * 0.8), 1, 5);
		const tally = tallies.get(topic.key)!;
		tally.contacts++;
		if (complaint) {
			tally.complaints++;
			const times = summary.complaintsAt.get(topic.key) ?? [];
			times.push(t);
			summary.complaintsAt.set(topic.key, times);
		}
		if (negative) tally.negative++;
		if (repeat) tally.repeats++;
		const contact: Contact = { c, t, topic, complaint, negative, resolved, repeat, body, tone, survey };
		const roll = r();
		// The phone line carries about a third of contacts for customers who use it.
		const channel =
			c.social && roll < 0.16 ? c.social : roll < 0.45 && c.channels.includes('phone') ? 'phone' : pick(r, c.channels);
		let handled: Handled | undefined;
		if (channel === 'phone') {
			const { call, ...outcome } = callRecord(r, contact, ++seq.call);
			files.calls.csv(CALL_COLUMNS, call);
			handled = outcome;
		} else if (SOCIAL.has(channel)) {
			const platform = channel as SocialPost['platform'];
			const id = `${platform}-${pad(++seq.post, 10)}`;
			// A follow-up about the same thing continues the customer's own thread.
			const post = customerPost(r, contact, platform, id, (repeat && lastPost.get(platform)) || null);
			lastPost.set(platform, id);
			files.posts.line(JSON.stringify(post));
		} else {
			const { ticket, ...outcome } = ticketRecord(r, contact, channel, ++seq.ticket);
			files.tickets.line(JSON.stringify(ticket));
			handled = outcome;
		}
		if (handled) {
			// Calls and tickets have an outcome and sometimes a survey; posts have neither.
			tally.handled++;
			if (handled.unresolved) tally.unresolved++;
			if (handled.answered) {
				tally.csatSum += survey;
				tally.csatN++;
			}
		}
	};

	for (let k = 0; k < n; k++) {
		const t = contactTime(r, from, activeUntil);
		const topic = pickTopic(r);
		emit(t, topic, false, false);
		// Bad experiences bring customers back about the same thing.
		// A follow-up that would fall after the customer's last day never happened: clamping it to
		// that day would pile the history's follow-ups onto its very last second.
		if (r() < health(topic, t).repeatRate) {
			const t2 = t + (1 + r() * 3) * DAY;
			if (t2 <= activeUntil) {
				emit(t2, topic, r() < 0.6, true);
				n--;
			}
		}
	}
	if (c.complaintTopic) {
		// Repeated complaints about the same thing, shortly before going quiet.
		const k = 3 + Math.floor(r() * 3);
		for (let j = 0; j < k; j++) emit(activeUntil - (j * 9 + r() * 7) * DAY, c.complaintTopic, true, j > 0);
	}
	return summary;
}
