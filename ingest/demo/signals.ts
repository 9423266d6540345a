/**
 * Why this exists: how often each topic comes up and how badly it goes at a given time — the
 * planted pain points start at their date and delivery suffers in festival weeks. Every contact,
 * from a customer or an anonymous author, draws its topic and its outcome from here.
 */
import { clamp, festivalOf, type Rng } from './random';
import { TOPICS, type Topic } from './topics';

const TOPIC_WEIGHT_SUM = TOPICS.reduce((a, t) => a + t.weight, 0);
export function pickTopic(r: Rng): Topic {
	let x = r() * TOPIC_WEIGHT_SUM;
	for (const t of TOPICS) if ((x -= t.weight) <= 0) return t;
	return TOPICS[TOPICS.length - 1]!;
}

/** How bad a topic is at time t (planted problems may start at a date). */
export function health(
	topic: Topic,
	t: number
): Pick<Topic, 'complaintRate' | 'csat' | 'resolveRate' | 'negativeShare' | 'repeatRate'> {
	const active = !topic.since || t >= Date.parse(topic.since);
	const festive = topic.key === 'delivery' && festivalOf(t) ? 1.25 : 1;
	if (active) {
		return {
			complaintRate: clamp(topic.complaintRate * festive, 0, 0.95),
			csat: topic.csat - (festive - 1) * 2,
			resolveRate: topic.resolveRate,
			negativeShare: clamp(topic.negativeShare * festive, 0, 0.95),
			repeatRate: topic.repeatRate
		};
	}
	return { complaintRate: 0.05, csat: 4.1, resolveRate: 0.78, negativeShare: 0.14, repeatRate: 0.04 };
}
