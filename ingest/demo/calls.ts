/**
 * Why this exists: a contact through the phone line, as a call center's call log records it —
 * queue, agent, wait, talk and hold times, disposition, survey and speech-analytics sentiment, and
 * the transcript. Waits grow on busy days and long waits are abandoned.
 */
import type { CallRecord } from '../../schemas/sources';
import type { Contact, Handled } from './contact';
import { clamp, dayWeight, normal, pad, pick, round2, sqlTime, type Rng } from './random';
import { wrap } from './texts';

const TEAMS = ['Team Alpha', 'Team Beta', 'Team Gamma', 'Team Delta'];
const AGENTS = Array.from({ length: 60 }, (_, i) => `agent-${pad(i + 1, 3)}`);

export function callRecord(r: Rng, x: Contact, seq: number): Handled & { call: CallRecord } {
	const { c, t, topic, complaint, negative, resolved, body, tone, survey } = x;
	const { zh, region } = c;
	const wait = Math.round(-Math.log(1 - r()) * 45 * dayWeight(t));
	const abandoned = wait > 240 && r() < 0.5;
	const talk = abandoned ? 0 : Math.round(topic.handleSeconds * Math.exp(0.35 * normal(r)));
	const hold = abandoned ? 0 : Math.round(r() * 0.15 * talk);
	const disposition = abandoned
		? 'abandoned'
		: resolved
			? 'resolved'
			: pick(r, ['unresolved', 'escalated', 'transferred'] as const);
	const answered = !abandoned && r() < 0.35;
	const call: CallRecord = {
		call_id: `CALL-${pad(seq, 9)}`,
		account_number: c.id,
		start_time: sqlTime(t),
		queue: topic.queue,
		agent: pick(r, AGENTS),
		team: pick(r, TEAMS),
		wait_seconds: String(wait),
		talk_seconds: String(talk),
		hold_seconds: String(hold),
		handle_seconds: abandoned ? '' : String(talk + hold + 30),
		disposition,
		transferred: disposition === 'transferred' ? 'Y' : 'N',
		wrap_up: complaint ? 'complaint' : topic.scenario === 'transaction' ? 'request' : 'inquiry',
		survey_score: answered ? (String(survey) as CallRecord['survey_score']) : '',
		sentiment_score: abandoned ? '' : String(round2(clamp((negative ? -0.55 : 0.45) + 0.3 * normal(r), -1, 1))),
		region,
		language: zh ? 'zh' : 'en',
		transcript: abandoned ? '' : wrap(r, body, tone, zh, true)
	};
	return { call, unresolved: disposition !== 'resolved', answered };
}
