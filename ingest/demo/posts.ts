/**
 * Why this exists: social posts — a customer's own, which continue the customer's thread when they
 * follow up on the same thing, and anonymous chatter from authors the CRM does not know, which
 * reaches the journey map without a customer (two posts for every customer in the data set).
 */
import seedrandom from 'seedrandom';
import type { SocialPost } from '../../schemas/sources';
import type { Contact } from './contact';
import type { Tally } from './ground-truth';
import type { Out, Sequences } from './output';
import { contactTime, DEMO_END, DEMO_START, iso, pad, pick, type Rng } from './random';
import { health, pickTopic } from './signals';
import { socialText, tagPost, words } from './texts';

/** A customer's post; `inReplyTo`: its previous post on the platform when this one follows up. */
export function customerPost(
	r: Rng,
	x: Contact,
	platform: SocialPost['platform'],
	id: string,
	inReplyTo: string | null
): SocialPost {
	const { c, t, topic, negative, body, tone } = x;
	const { zh } = c;
	const post: SocialPost = {
		platform,
		post_id: id,
		in_reply_to: inReplyTo,
		author: { handle: `@${c.id.toLowerCase()}`, crm_id: c.id },
		created_at: iso(t),
		text: socialText(r, body, tone, zh, platform),
		lang: zh ? 'zh' : 'en',
		entities: { hashtags: [] },
		likes: Math.floor(-Math.log(1 - r()) * (negative ? 20 : 4)),
		reposts: Math.floor(-Math.log(1 - r()) * (negative ? 6 : 1))
	};
	tagPost(r, post, topic, negative);
	return post;
}

/** Writes the anonymous chatter, from its own generator; returns how many posts it wrote. */
export async function writeAnonymousPosts(
	opts: { seed: number; customers: number },
	out: Out,
	tallies: Map<string, Tally>,
	seq: Sequences
): Promise<number> {
	const r: Rng = seedrandom.alea(`${opts.seed}:anonymous`);
	const anonymous = Math.round(opts.customers * 2);
	for (let k = 0; k < anonymous; k++) {
		const zh = r() < 0.4;
		const platform = zh ? pick(r, ['weibo', 'wechat'] as const) : pick(r, ['x', 'reddit'] as const);
		const topic = pickTopic(r);
		const t = contactTime(r, DEMO_START, DEMO_END);
		const h = health(topic, t);
		const negative = r() < h.negativeShare;
		const { body, tone } = words(r, topic, zh, t, negative, r() < h.resolveRate);
		const tally = tallies.get(topic.key)!;
		tally.contacts++;
		if (negative) tally.negative++;
		const post: SocialPost = {
			platform,
			post_id: `${platform}-${pad(++seq.post, 10)}`,
			in_reply_to: r() < 0.2 && seq.post > 1 ? `${platform}-${pad(1 + Math.floor(r() * (seq.post - 1)), 10)}` : null,
			author: { handle: `@${zh ? 'user' : 'fan'}${Math.floor(r() * 1e6)}`, crm_id: '' },
			created_at: iso(t),
			text: socialText(r, body, tone, zh, platform),
			lang: zh ? 'zh' : 'en',
			entities: { hashtags: [] },
			likes: Math.floor(-Math.log(1 - r()) * 5),
			reposts: Math.floor(-Math.log(1 - r()) * 1)
		};
		tagPost(r, post, topic, negative);
		out.line(JSON.stringify(post));
		if ((k & 4095) === 4095) await out.flush();
	}
	return anonymous;
}
