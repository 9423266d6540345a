/**
 * Why this exists: customer texts arrive as HTML e-mails, tweets and Weibo posts. Markup, links,
 * @handles and entity codes carry no sentiment or intent and would only add noise features, so every
 * scorer sees the same cleaned text. Emoji do carry sentiment but the training sets hardly contain
 * any, so they are counted here and applied by the sentiment scorer as a fixed nudge.
 */

/** Longest text we score. Sentiment and intent sit in the first paragraphs; this bounds the cost. */
export const MAX_SCORED_CHARS = 4000;

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' '
};

const TAG = /<\/?[a-zA-Z][^>]*>|<!--[\s\S]*?-->/g;
const BLOCK = /<(script|style)[^>]*>[\s\S]*?<\/\1>/gi;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"'，。！？）]+/gi;
const MENTION = /(^|[\s(（])@[\p{L}\p{N}_\-.]+/gu;
// Hashtags: #RefundPlease → "Refund Please"; Weibo #退款难# → 退款难.
const HASHTAG = /#([\p{L}\p{N}_]+)#?/gu;

function decodeEntity(_: string, code: string): string {
	if (code[0] === '#') {
		const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
		return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
	}
	return ENTITIES[code.toLowerCase()] ?? ' ';
}

/** Plain text: no markup, links, @handles; hashtags split into words; whitespace collapsed. */
export function cleanText(raw: string): string {
	let s = raw.length > MAX_SCORED_CHARS * 2 ? raw.slice(0, MAX_SCORED_CHARS * 2) : raw;
	if (s.includes('<')) s = s.replace(BLOCK, ' ').replace(TAG, ' ');
	if (s.includes('&')) s = s.replace(ENTITY, decodeEntity);
	if (s.includes('http') || s.includes('www.')) s = s.replace(URL, ' ');
	if (s.includes('@')) s = s.replace(MENTION, '$1');
	if (s.includes('#')) s = s.replace(HASHTAG, (_, tag: string) => ' ' + tag.replace(/([a-z])([A-Z])/g, '$1 $2') + ' ');
	s = s.replace(/\s+/g, ' ').trim();
	return s.length > MAX_SCORED_CHARS ? s.slice(0, MAX_SCORED_CHARS) : s;
}

// Common emoji with a clear polarity (and the Weibo/QQ text emoticons that are not in the Chinese
// training data). Anything else is neutral.
const POSITIVE_EMOJI = new Set([...'😀😃😄😁😆😊🙂😍🥰😘😎🤩👍👏🙏💯🎉❤💕💖💗💙💚💛🧡💜✅⭐🌟😂🤣😋👌🥳☺😻']);
const NEGATIVE_EMOJI = new Set([...'😠😡🤬😤😞😟😢😭😩😫😒🙄😣😖👎💔😱😰😨🤮🤢😔😕☹😾❌⚠🖕😑']);
const EMOJI = /\p{Extended_Pictographic}/gu;

/** Emoji polarity count: positive minus negative emoji (capped at ±3). */
export function emojiPolarity(text: string): number {
	let score = 0;
	for (const m of text.matchAll(EMOJI)) {
		if (POSITIVE_EMOJI.has(m[0])) score++;
		else if (NEGATIVE_EMOJI.has(m[0])) score--;
	}
	return Math.max(-3, Math.min(3, score));
}

/** Whether the text holds any emoji at all (cheap pre-check before the regex scan). */
export function hasEmoji(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0xd800 && c <= 0xdbff) return true; // astral plane: most emoji
		if (c >= 0x2600 && c <= 0x27bf) return true; // ☺ ❤ ⭐ ✅ ❌ …
	}
	return false;
}

// Emoji, text emoticons and runs of ! or ? — signals of tone in social posts that the word
// tokeniser drops.
const TONE = /\p{Extended_Pictographic}|[:;=8][-o*']?[)(\][dDpP/\\|]|<3|[!?]+/gu;

/** Tone tokens of a text ("§😂", "§:)", "§!!"), for the English n-gram features. */
export function toneTokens(text: string): string[] {
	const out: string[] = [];
	for (const m of text.matchAll(TONE)) {
		const t = m[0];
		out.push('§' + (t[0] === '!' || t[0] === '?' ? t.slice(0, 2) : t));
	}
	return out;
}
