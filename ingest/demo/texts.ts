/**
 * Why this exists: the customers' own words. A topic's template is chosen to match how the contact
 * went (a complaint, a question still open, a matter settled), filled with products, orders and
 * festivals, and wrapped in varied openers and closers per channel, so the text models see
 * sentences people write rather than one repeated line.
 */
import type { SocialPost } from '../../schemas/sources';
import { festivalOf, pick, type Rng } from './random';
import { ACCESSORIES, ACCESSORIES_ZH, HASHTAGS, PRODUCTS, PRODUCTS_ZH, SETTLED, TOPICS, type Topic } from './topics';

const FESTIVAL_NAMES: Record<string, { en: string; zh: string }> = {
	'11.11': { en: "Singles' Day", zh: '双十一' },
	'618': { en: 'the 618 sale', zh: '618' },
	'Black Friday': { en: 'Black Friday', zh: '黑五' },
	Christmas: { en: 'Christmas', zh: '圣诞节' }
};

function fill(r: Rng, template: string, zh: boolean, t: number): string {
	const festival = FESTIVAL_NAMES[festivalOf(t) ?? (zh ? '11.11' : 'Black Friday')]!;
	return template
		.replace('{product}', pick(r, zh ? PRODUCTS_ZH : PRODUCTS))
		.replace('{accessory}', pick(r, zh ? ACCESSORIES_ZH : ACCESSORIES))
		.replace('{order}', `#${100000 + Math.floor(r() * 900000)}`)
		.replace('{days}', String(3 + Math.floor(r() * 12)))
		.replace('{amount}', zh ? `¥${10 + Math.floor(r() * 2000)}` : `$${5 + Math.floor(r() * 500)}`)
		.replace('{festival}', zh ? festival.zh : festival.en);
}

export type Tone = 'neg' | 'ask' | 'pos';

/** Openers and closers around a template, so the same complaint is not one repeated sentence. */
const WORDING = {
	en: {
		open: ['', '', 'Hi. ', 'Hello. ', 'Hi team. ', 'Good morning. '],
		phoneOpen: ['', 'Yes, hello. ', 'Hi there. ', 'Okay. ', 'Hello. '],
		closeNeg: [
			'',
			'',
			' Please fix this.',
			' This is really frustrating.',
			' I need an answer today.',
			' Very disappointed.'
		],
		closeAsk: ['', '', ' Thanks.', ' Thank you in advance.', ' Appreciate it.'],
		socialNeg: ['', ' Not impressed.', ' Ugh.', ' Worst service.', ' 😡'],
		socialPos: ['', ' 👍', ' Nice.', '']
	},
	zh: {
		open: ['', '', '你好，', '您好，', '客服你好，'],
		phoneOpen: ['', '喂，你好，', '你好，', '是这样的，'],
		closeNeg: ['', '', '请尽快处理！', '太失望了。', '麻烦给个说法。', '再这样就退货了。'],
		closeAsk: ['', '', '谢谢。', '麻烦了。', '辛苦了。'],
		socialNeg: ['', '[怒]', '无语。', '差评！', '服了。'],
		socialPos: ['', '[赞]', '点赞！', '']
	}
} as const;

/** Each topic's "still open" templates: positive wording that does not claim the matter is settled. */
const OPEN_TEMPLATES = new Map(
	TOPICS.map((t) => {
		const open = (xs: string[]) => (xs.some((x) => !SETTLED.test(x)) ? xs.filter((x) => !SETTLED.test(x)) : xs);
		return [t.key, { en: open(t.en.pos), zh: open(t.zh.pos) }];
	})
);

/** The customer's own words: a template matched to how it went, wrapped in varied wording. */
export function words(
	r: Rng,
	topic: Topic,
	zh: boolean,
	t: number,
	negative: boolean,
	resolved: boolean
): { body: string; tone: Tone } {
	const lang = zh ? topic.zh : topic.en;
	const templates = negative ? lang.neg : resolved ? lang.pos : OPEN_TEMPLATES.get(topic.key)![zh ? 'zh' : 'en'];
	const body = fill(r, pick(r, templates), zh, t);
	return { body, tone: negative ? 'neg' : SETTLED.test(body) ? 'pos' : 'ask' };
}

export function wrap(r: Rng, body: string, tone: Tone, zh: boolean, phone: boolean): string {
	const w = zh ? WORDING.zh : WORDING.en;
	const close = tone === 'neg' ? pick(r, w.closeNeg) : tone === 'ask' ? pick(r, w.closeAsk) : '';
	return pick(r, phone ? w.phoneOpen : w.open) + body + close;
}

export function subjectOf(body: string, zh: boolean): string {
	const max = zh ? 20 : 60;
	if (body.length <= max) return body;
	if (zh) return body.slice(0, max - 1) + '…';
	const cut = body.lastIndexOf(' ', max - 1);
	return body.slice(0, cut > 20 ? cut : max - 1) + '…';
}

/** Social wording: a mention, the words, a closer, sometimes the hashtag inline. */
export function socialText(r: Rng, body: string, tone: Tone, zh: boolean, platform: string): string {
	const w = zh ? WORDING.zh : WORDING.en;
	const mention = platform === 'reddit' ? '' : zh ? '@Touchmap客服 ' : '@TouchmapCare ';
	const close = tone === 'neg' ? pick(r, w.socialNeg) : tone === 'pos' ? pick(r, w.socialPos) : '';
	return mention + body + close;
}

/** About half the posts carry the topic's hashtag (and then in the text, as people write it). */
export function tagPost(r: Rng, post: SocialPost, topic: Topic, negative: boolean): void {
	if (r() >= (negative ? 0.55 : 0.35)) return;
	const tag = HASHTAGS[topic.key]![post.lang === 'zh' ? 'zh' : 'en'];
	post.entities.hashtags.push({ text: tag });
	post.text += post.platform === 'weibo' ? ` #${tag}#` : ` #${tag}`;
}
