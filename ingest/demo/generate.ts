/**
 * Why this exists: the demo data set, written as the SOURCE FILES real systems export (a CRM's
 * customers/orders CSV and Zendesk-like tickets NDJSON, a call center's call log CSV, social posts
 * NDJSON) so it reaches ClickHouse through the same mappings and ingest path as customer data.
 *
 * Row shapes come from schemas/sources.ts (CSV headers included). The ground truth records what was
 * planted and what was measured in the written rows (per-touchpoint signals; high-value, quiet and
 * repeat-complaint customers by the product's default rules), so tests can check what the product finds.
 *
 * Deterministic: every customer draws from its own generator seeded by (seed, customer index), so
 * output is byte-identical for the same seed and size. Streamed: one customer at a time is held in
 * memory, so 200,000 customers (~10M interactions) need no more memory than 2,000.
 */
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import {
	CALL_COLUMNS,
	CRM_CUSTOMER_COLUMNS,
	CRM_ORDER_COLUMNS,
	type CallRecord,
	type CrmCustomerRow,
	type CrmOrderRow,
	type SocialPost,
	type TicketRecord
} from '../../schemas/sources';
import {
	ACCESSORIES,
	ACCESSORIES_ZH,
	CATEGORIES,
	HASHTAGS,
	PRODUCTS,
	PRODUCTS_ZH,
	SETTLED,
	TOPICS,
	type Topic
} from './topics';

/** Fixed end of the demo history (never the clock, so output is reproducible). */
export const DEMO_END = Date.UTC(2026, 9, 31, 23, 59, 59);
const DAY = 86_400_000;
export const DEMO_START = DEMO_END - 730 * DAY;

export interface DemoOptions {
	customers: number;
	seed: number;
	outDir: string;
	onProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
	files: Record<string, number>;
	interactions: number;
	seconds: number;
}

type Rng = () => number;

/** Buffered writer that respects stream backpressure. */
class Out {
	private buf: string[] = [];
	private size = 0;
	rows = 0;
	private readonly stream: WriteStream;
	constructor(path: string, header?: string) {
		this.stream = createWriteStream(path, 'utf8');
		if (header) this.buf.push(header + '\n');
	}
	/** One CSV row, its cells in the schema's column order. */
	csv<T extends Record<string, string>>(columns: readonly (keyof T)[], rec: T) {
		let s = '';
		for (let k = 0; k < columns.length; k++) s += (k ? ',' : '') + csv(rec[columns[k]!]!);
		this.line(s);
	}
	line(s: string) {
		this.buf.push(s, '\n');
		this.size += s.length;
		this.rows++;
	}
	async flush(force = false) {
		if (!force && this.size < 1 << 20) return;
		const ok = this.stream.write(this.buf.join(''));
		this.buf = [];
		this.size = 0;
		if (!ok) await once(this.stream, 'drain');
	}
	async close() {
		await this.flush(true);
		this.stream.end();
		await once(this.stream, 'finish');
	}
}

const csv = (v: string | number | boolean | null | undefined) => {
	if (v === null || v === undefined) return '';
	const s = String(v);
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const iso = (t: number) => new Date(t).toISOString();
const sqlTime = (t: number) => iso(t).slice(0, 19).replace('T', ' ');
const isoDate = (t: number) => iso(t).slice(0, 10);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
function normal(r: Rng): number {
	return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
function poisson(r: Rng, mean: number): number {
	if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
	let k = 0;
	for (let p = Math.exp(-mean), s = p, u = r(); u > s; k++) {
		p *= mean / (k + 1);
		s += p;
	}
	return k;
}

/** Shopping festivals: 11.11, 618, Black Friday week, Christmas run-up. */
function festivalOf(t: number): string | undefined {
	const d = new Date(t);
	const m = d.getUTCMonth() + 1;
	const day = d.getUTCDate();
	if (m === 11 && day >= 9 && day <= 14) return '11.11';
	if (m === 6 && day >= 15 && day <= 20) return '618';
	if (m === 11 && day >= 22 && day <= 30) return 'Black Friday';
	if (m === 12 && day >= 15 && day <= 24) return 'Christmas';
	return undefined;
}

/** Relative contact volume on a day: weekends quieter, festivals busier. */
function dayWeight(t: number): number {
	const dow = new Date(t).getUTCDay();
	const f = festivalOf(t);
	const base = dow === 0 || dow === 6 ? 0.6 : 1;
	return base * (f === '11.11' ? 3 : f === '618' ? 2.2 : f ? 1.8 : 1);
}
const MAX_WEIGHT = 3;

/** A time in [from, to) drawn with the weekly and festival pattern, during opening hours. */
function contactTime(r: Rng, from: number, to: number): number {
	for (let i = 0; i < 20; i++) {
		const t = from + r() * (to - from);
		if (r() * MAX_WEIGHT <= dayWeight(t)) {
			const day = Math.floor(t / DAY) * DAY;
			const hour = clamp(Math.round(13 + 3.2 * normal(r)), 0, 23);
			return day + hour * 3_600_000 + Math.floor(r() * 3_600_000);
		}
	}
	return from + r() * (to - from);
}

const EN_FIRST = [
	'Olivia',
	'Liam',
	'Emma',
	'Noah',
	'Ava',
	'Ethan',
	'Sophia',
	'Mason',
	'Mia',
	'Lucas',
	'Amelia',
	'James',
	'Harper',
	'Daniel',
	'Ella',
	'Leo',
	'Grace',
	'Jack',
	'Chloe',
	'Ryan'
];
const EN_LAST = [
	'Smith',
	'Johnson',
	'Brown',
	'Garcia',
	'Miller',
	'Davis',
	'Wilson',
	'Taylor',
	'Clark',
	'Lewis',
	'Walker',
	'Young',
	'King',
	'Wright',
	'Hill',
	'Green',
	'Baker',
	'Adams',
	'Nelson',
	'Carter'
];
const ZH_SURNAME = [
	'王',
	'李',
	'张',
	'刘',
	'陈',
	'杨',
	'黄',
	'赵',
	'吴',
	'周',
	'徐',
	'孙',
	'马',
	'朱',
	'胡',
	'郭',
	'何',
	'林'
];
const ZH_GIVEN = [
	'伟',
	'芳',
	'娜',
	'敏',
	'静',
	'磊',
	'洋',
	'艳',
	'勇',
	'军',
	'杰',
	'娟',
	'涛',
	'明',
	'超',
	'秀英',
	'丽',
	'强',
	'平',
	'刚'
];
const EN_REGIONS = ['North America', 'Europe', 'APAC'];
const ZH_REGIONS = ['East China', 'North China', 'South China', 'West China'];
const TEAMS = ['Team Alpha', 'Team Beta', 'Team Gamma', 'Team Delta'];
const AGENTS = Array.from({ length: 60 }, (_, i) => `agent-${pad(i + 1, 3)}`);

interface Customer {
	id: string;
	zh: boolean;
	highValue: boolean;
	churn: 'none' | 'quiet' | 'complainer';
	opened: number;
	/** Last day this customer contacts us (churners stop early). */
	activeUntil: number;
	channels: string[];
	social: SocialPost['platform'] | undefined;
	region: string;
	complaintTopic: Topic | undefined;
}

const TOPIC_WEIGHT_SUM = TOPICS.reduce((a, t) => a + t.weight, 0);
function pickTopic(r: Rng): Topic {
	let x = r() * TOPIC_WEIGHT_SUM;
	for (const t of TOPICS) if ((x -= t.weight) <= 0) return t;
	return TOPICS[TOPICS.length - 1]!;
}

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

/** How bad a topic is at time t (planted problems may start at a date). */
function health(
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
function words(
	r: Rng,
	topic: Topic,
	zh: boolean,
	t: number,
	negative: boolean,
	resolved: boolean
): { body: string; tone: 'neg' | 'ask' | 'pos' } {
	const lang = zh ? topic.zh : topic.en;
	const templates = negative ? lang.neg : resolved ? lang.pos : OPEN_TEMPLATES.get(topic.key)![zh ? 'zh' : 'en'];
	const body = fill(r, pick(r, templates), zh, t);
	return { body, tone: negative ? 'neg' : SETTLED.test(body) ? 'pos' : 'ask' };
}

function wrap(r: Rng, body: string, tone: 'neg' | 'ask' | 'pos', zh: boolean, phone: boolean): string {
	const w = zh ? WORDING.zh : WORDING.en;
	const close = tone === 'neg' ? pick(r, w.closeNeg) : tone === 'ask' ? pick(r, w.closeAsk) : '';
	return pick(r, phone ? w.phoneOpen : w.open) + body + close;
}

function subjectOf(body: string, zh: boolean): string {
	const max = zh ? 20 : 60;
	if (body.length <= max) return body;
	if (zh) return body.slice(0, max - 1) + '…';
	const cut = body.lastIndexOf(' ', max - 1);
	return body.slice(0, cut > 20 ? cut : max - 1) + '…';
}

/** Per-touchpoint tallies of what was written, so the ground truth states observed signals. */
interface Tally {
	contacts: number;
	complaints: number;
	negative: number;
	/** Calls and tickets only (social posts have no outcome). */
	handled: number;
	unresolved: number;
	repeats: number;
	csatSum: number;
	csatN: number;
}
const newTally = (): Tally => ({
	contacts: 0,
	complaints: 0,
	negative: 0,
	handled: 0,
	unresolved: 0,
	repeats: 0,
	csatSum: 0,
	csatN: 0
});
function summarise(t: Tally) {
	const r3 = (x: number) => Math.round(x * 1000) / 1000;
	return {
		contacts: t.contacts,
		complaintRate: r3(t.complaints / Math.max(1, t.contacts)),
		negativeShare: r3(t.negative / Math.max(1, t.contacts)),
		unresolvedShare: r3(t.unresolved / Math.max(1, t.handled)),
		repeatShare: r3(t.repeats / Math.max(1, t.contacts)),
		csatMean: t.csatN ? r3(t.csatSum / t.csatN) : null,
		csatResponses: t.csatN
	};
}

/** Rules the ground truth states its measured customer lists by (the product's defaults). */
const HV_OPENED_BEFORE = Date.UTC(2023, 9, 31); // account age ≥ 3 years at DEMO_END
const RECENT_FROM = Date.UTC(2026, 7, 1); // the last three full months: Aug–Oct 2026
const QUIET_FROM = DEMO_END + 1000 - 90 * DAY;

export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
	const started = Date.now();
	const dir = opts.outDir;
	for (const d of ['crm', 'callcenter', 'social']) mkdirSync(join(dir, d), { recursive: true });
	const files = {
		customers: new Out(join(dir, 'crm/customers.csv'), CRM_CUSTOMER_COLUMNS.join(',')),
		orders: new Out(join(dir, 'crm/orders.csv'), CRM_ORDER_COLUMNS.join(',')),
		tickets: new Out(join(dir, 'crm/tickets.ndjson')),
		calls: new Out(join(dir, 'callcenter/calls.csv'), CALL_COLUMNS.join(',')),
		posts: new Out(join(dir, 'social/posts.ndjson'))
	};
	const truth = {
		plantedHighValue: 0,
		plantedQuiet: 0,
		highValue: [] as string[],
		quiet: [] as string[],
		complainers: [] as { id: string; topic: string; touchpoint: string }[],
		repeatComplainers: [] as string[],
		churned: 0
	};
	const tallies = new Map(TOPICS.map((t) => [t.key, newTally()]));
	let ticketSeq = 0;
	let callSeq = 0;
	let postSeq = 0;
	let orderSeq = 0;
	let interactions = 0;

	for (let i = 0; i < opts.customers; i++) {
		const r: Rng = seedrandom.alea(`${opts.seed}:${i}`);
		const zh = r() < 0.35;
		const highValue = r() < 0.06;
		const churnRoll = r();
		const churn: Customer['churn'] = highValue
			? 'none'
			: churnRoll < 0.07
				? 'quiet'
				: churnRoll < 0.12
					? 'complainer'
					: 'none';
		// Churners have had their account for a while: at least a year before going quiet.
		const ageYears = highValue
			? 3.2 + r() * 5
			: churn !== 'none'
				? 1.2 + r() * 4
				: r() < 0.3
					? 3 + r() * 4
					: 0.2 + r() * 2.8;
		const opened = Math.floor((DEMO_END - ageYears * 365.25 * DAY) / DAY) * DAY;
		const from = Math.max(opened, DEMO_START);
		// Churners go quiet at least 95 days before the end of the history.
		const activeUntil = churn === 'none' ? DEMO_END : from + (DEMO_END - 95 * DAY - from) * (0.3 + 0.7 * r());
		const core = ['phone', 'chat', 'email', 'app', 'web'].sort(() => r() - 0.5);
		const nChannels = r() < 0.8 ? 3 + Math.floor(r() * 3) : 1 + Math.floor(r() * 2);
		const channels = core.slice(0, Math.min(nChannels, 5));
		const social =
			r() < 0.45 ? (zh ? pick(r, ['weibo', 'wechat'] as const) : pick(r, ['x', 'reddit'] as const)) : undefined;
		const region = zh ? pick(r, ZH_REGIONS) : pick(r, EN_REGIONS);
		const c: Customer = {
			id: `C${pad(i + 1, 7)}`,
			zh,
			highValue,
			churn,
			opened,
			activeUntil,
			channels,
			social,
			region,
			complaintTopic:
				churn === 'complainer'
					? pick(
							r,
							TOPICS.filter((t) => t.severity)
						)
					: undefined
		};
		if (highValue) truth.plantedHighValue++;
		if (churn === 'quiet') truth.plantedQuiet++;
		if (c.complaintTopic) {
			truth.complainers.push({ id: c.id, topic: c.complaintTopic.key, touchpoint: c.complaintTopic.touchpoint });
		}

		// Orders first: they give lifetime value and revenue for the CRM row.
		const months = Math.max(0.5, (activeUntil - from) / (30 * DAY));
		const nOrders = poisson(r, months * (highValue ? 1.6 : 0.35));
		let ltv = 0;
		let revenue12 = 0;
		for (let k = 0; k < nOrders; k++) {
			const t = contactTime(r, from, activeUntil);
			const p = Math.floor(r() * PRODUCTS.length);
			const amount = round2(Math.exp(4 + 1.1 * normal(r)) * (highValue ? 2.2 : 1));
			const status = r() < 0.04 ? 'returned' : r() < 0.02 ? 'cancelled' : 'completed';
			if (status === 'completed') {
				ltv += amount;
				if (t > DEMO_END - 365 * DAY) revenue12 += amount;
			}
			const order: CrmOrderRow = {
				order_id: `O${pad(++orderSeq, 9)}`,
				customer_id: c.id,
				created_at: iso(t),
				amount: amount.toFixed(2),
				currency: zh ? 'CNY' : 'USD',
				status,
				channel: pick(r, ['web', 'app', 'store'] as const),
				items: String(1 + Math.floor(r() * 3)),
				category: CATEGORIES[p]!
			};
			files.orders.csv(CRM_ORDER_COLUMNS, order);
		}

		const tier = ltv > 5000 ? 'platinum' : ltv > 2000 ? 'gold' : ltv > 500 ? 'silver' : 'bronze';
		const name = zh ? pick(r, ZH_SURNAME) + pick(r, ZH_GIVEN) : `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`;
		const email = `${zh ? 'user' : name.split(' ')[0]!.toLowerCase()}${i + 1}@${zh ? 'example.cn' : 'example.com'}`;
		const phone = zh
			? `+86 1${3 + Math.floor(r() * 6)}${pad(Math.floor(r() * 1e9), 9)}`
			: `+1 ${200 + Math.floor(r() * 700)} 555 ${pad(Math.floor(r() * 1e4), 4)}`;
		const churned = churn !== 'none' && r() < 0.7;
		if (churned) truth.churned++;
		const customer: CrmCustomerRow = {
			customer_id: c.id,
			full_name: name,
			email,
			phone,
			segment: r() < 0.2 ? 'business' : 'consumer',
			tier,
			region,
			preferred_language: zh ? 'zh-CN' : 'en-US',
			account_opened: isoDate(opened),
			lifetime_value: ltv.toFixed(2),
			revenue_12m: revenue12.toFixed(2),
			status: churned ? 'Churned' : 'Active',
			churn_date: churned ? isoDate(activeUntil + 60 * DAY) : ''
		};
		files.customers.csv(CRM_CUSTOMER_COLUMNS, customer);

		// What this customer's contacts add up to, for the measured lists in the ground truth.
		let recent = 0;
		let last = -Infinity;
		const complaintsAt = new Map<string, number[]>();
		/** The customer's latest post per platform, so a follow-up post replies to it. */
		const lastPost = new Map<string, string>();

		// Contacts: high-value customers ~9 a month, others ~2; complainers add repeated complaints.
		const perMonth = highValue ? 8 + r() * 3 : 1.5 + r() * 1.1;
		let n = poisson(r, months * perMonth);
		const emit = (t: number, topic: Topic, forceComplaint: boolean, repeat: boolean) => {
			interactions++;
			if (t >= RECENT_FROM) recent++;
			if (t > last) last = t;
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
				const times = complaintsAt.get(topic.key) ?? [];
				times.push(t);
				complaintsAt.set(topic.key, times);
			}
			if (negative) tally.negative++;
			if (repeat) tally.repeats++;
			const roll = r();
			// The phone line carries about a third of contacts for customers who use it.
			const channel =
				c.social && roll < 0.16
					? c.social
					: roll < 0.45 && c.channels.includes('phone')
						? 'phone'
						: pick(r, c.channels);
			if (channel === 'phone') {
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
				tally.handled++;
				if (disposition !== 'resolved') tally.unresolved++;
				if (answered) {
					tally.csatSum += survey;
					tally.csatN++;
				}
				const call: CallRecord = {
					call_id: `CALL-${pad(++callSeq, 9)}`,
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
				files.calls.csv(CALL_COLUMNS, call);
			} else if (channel === 'weibo' || channel === 'wechat' || channel === 'x' || channel === 'reddit') {
				const id = `${channel}-${pad(++postSeq, 10)}`;
				const post: SocialPost = {
					platform: channel,
					post_id: id,
					// A follow-up about the same thing continues the customer's own thread.
					in_reply_to: (repeat && lastPost.get(channel)) || null,
					author: { handle: `@${c.id.toLowerCase()}`, crm_id: c.id },
					created_at: iso(t),
					text: socialText(r, body, tone, zh, channel),
					lang: zh ? 'zh' : 'en',
					entities: { hashtags: [] },
					likes: Math.floor(-Math.log(1 - r()) * (negative ? 20 : 4)),
					reposts: Math.floor(-Math.log(1 - r()) * (negative ? 6 : 1))
				};
				tagPost(r, post, topic, negative);
				lastPost.set(channel, id);
				files.posts.line(JSON.stringify(post));
			} else {
				const replyMin = Math.round(-Math.log(1 - r()) * (channel === 'chat' ? 2 : 240));
				const status = resolved ? 'solved' : pick(r, ['open', 'pending', 'solved'] as const);
				const answered = r() < 0.4;
				tally.handled++;
				if (!resolved) tally.unresolved++;
				if (answered) {
					tally.csatSum += survey;
					tally.csatN++;
				}
				const ticket: TicketRecord = {
					id: ++ticketSeq,
					requester: { external_id: c.id },
					created_at: iso(t),
					via: {
						channel:
							channel === 'chat' ? 'chat' : channel === 'email' ? 'email' : channel === 'app' ? 'mobile_sdk' : 'web'
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
				files.tickets.line(JSON.stringify(ticket));
			}
			return complaint;
		};

		for (let k = 0; k < n; k++) {
			const t = contactTime(r, from, activeUntil);
			const topic = pickTopic(r);
			emit(t, topic, false, false);
			// Bad experiences bring customers back about the same thing.
			if (r() < health(topic, t).repeatRate) {
				const t2 = Math.min(activeUntil, t + (1 + r() * 3) * DAY);
				emit(t2, topic, r() < 0.6, true);
				n--;
			}
		}
		if (c.complaintTopic) {
			// Repeated complaints about the same thing, shortly before going quiet.
			const k = 3 + Math.floor(r() * 3);
			for (let j = 0; j < k; j++) emit(activeUntil - (j * 9 + r() * 7) * DAY, c.complaintTopic, true, j > 0);
		}

		// Measured against the default rules, so the lists hold exactly who the product should find.
		if (opened <= HV_OPENED_BEFORE && recent >= 15) truth.highValue.push(c.id);
		if (opened < QUIET_FROM && last < QUIET_FROM) truth.quiet.push(c.id);
		for (const times of complaintsAt.values()) {
			if (times.length < 3) continue;
			times.sort((x, y) => x - y);
			if (times.some((t, j) => j >= 2 && t - times[j - 2]! <= 30 * DAY)) {
				truth.repeatComplainers.push(c.id);
				break;
			}
		}
		if ((i & 255) === 255) {
			for (const f of Object.values(files)) await f.flush();
			opts.onProgress?.(i + 1, opts.customers);
		}
	}

	// Anonymous social chatter: authors with no CRM link.
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
		interactions++;
		const post: SocialPost = {
			platform,
			post_id: `${platform}-${pad(++postSeq, 10)}`,
			in_reply_to: r() < 0.2 && postSeq > 1 ? `${platform}-${pad(1 + Math.floor(r() * (postSeq - 1)), 10)}` : null,
			author: { handle: `@${zh ? 'user' : 'fan'}${Math.floor(r() * 1e6)}`, crm_id: '' },
			created_at: iso(t),
			text: socialText(r, body, tone, zh, platform),
			lang: zh ? 'zh' : 'en',
			entities: { hashtags: [] },
			likes: Math.floor(-Math.log(1 - r()) * 5),
			reposts: Math.floor(-Math.log(1 - r()) * 1)
		};
		tagPost(r, post, topic, negative);
		files.posts.line(JSON.stringify(post));
		if ((k & 4095) === 4095) await files.posts.flush();
	}
	for (const f of Object.values(files)) await f.close();
	opts.onProgress?.(opts.customers, opts.customers);

	const counts = {
		'crm/customers.csv': files.customers.rows,
		'crm/orders.csv': files.orders.rows,
		'crm/tickets.ndjson': files.tickets.rows,
		'callcenter/calls.csv': files.calls.rows,
		'social/posts.ndjson': files.posts.rows
	};
	const baseline = newTally();
	for (const t of TOPICS.filter((x) => !x.severity)) {
		const s = tallies.get(t.key)!;
		for (const k of Object.keys(baseline) as (keyof Tally)[]) baseline[k] += s[k];
	}
	writeFileSync(
		join(dir, 'ground-truth.json'),
		JSON.stringify(
			{
				generator: 'touchmap demo v2',
				seed: opts.seed,
				customers: opts.customers,
				from: isoDate(DEMO_START),
				to: isoDate(DEMO_END),
				files: counts,
				interactions,
				painPoints: TOPICS.filter((t) => t.severity).map((t) => ({
					stage: t.stage,
					touchpoint: t.touchpoint,
					severity: t.severity,
					description: t.description,
					since: t.since ?? null,
					queue: t.queue,
					category: t.category,
					signals: {
						complaintRate: t.complaintRate,
						csat: t.csat,
						resolveRate: t.resolveRate,
						negativeShare: t.negativeShare,
						repeatRate: t.repeatRate
					},
					observed: summarise(tallies.get(t.key)!)
				})),
				baseline: {
					description: 'The healthy touchpoints taken together',
					touchpoints: TOPICS.filter((t) => !t.severity).map((t) => `${t.stage}/${t.touchpoint}`),
					signals: { complaintRate: 0.04, csat: 4.3, resolveRate: 0.8, negativeShare: 0.12, repeatRate: 0.03 },
					observed: summarise(baseline)
				},
				touchpoints: Object.fromEntries(
					TOPICS.map((t) => [`${t.stage}/${t.touchpoint}`, summarise(tallies.get(t.key)!)])
				),
				highValue: {
					rule: 'account opened on or before 2023-10-31 (age ≥ 3 years) and ≥ 15 interactions in Aug–Oct 2026 (≥ 5 a month)',
					planted: truth.plantedHighValue,
					count: truth.highValue.length,
					ids: truth.highValue
				},
				churners: {
					churnedInCrm: truth.churned,
					quiet: {
						rule: 'account opened before the window and no interaction in the last 90 days (from 2026-08-03)',
						planted: truth.plantedQuiet,
						count: truth.quiet.length,
						ids: truth.quiet
					},
					repeatedComplaints: {
						rule: 'planted: 3–5 complaints about the same touchpoint within weeks, then quiet',
						count: truth.complainers.length,
						customers: truth.complainers,
						measured: {
							rule: '≥ 3 complaints about the same touchpoint within 30 days (includes the planted ones)',
							count: truth.repeatComplainers.length,
							ids: truth.repeatComplainers
						}
					}
				}
			},
			null,
			1
		)
	);
	return { files: counts, interactions, seconds: (Date.now() - started) / 1000 };
}

/** Social wording: a mention, the words, a closer, sometimes the hashtag inline. */
function socialText(r: Rng, body: string, tone: 'neg' | 'ask' | 'pos', zh: boolean, platform: string): string {
	const w = zh ? WORDING.zh : WORDING.en;
	const mention = platform === 'reddit' ? '' : zh ? '@Touchmap客服 ' : '@TouchmapCare ';
	const close = tone === 'neg' ? pick(r, w.socialNeg) : tone === 'pos' ? pick(r, w.socialPos) : '';
	return mention + body + close;
}

/** About half the posts carry the topic's hashtag (and then in the text, as people write it). */
function tagPost(r: Rng, post: SocialPost, topic: Topic, negative: boolean): void {
	if (r() >= (negative ? 0.55 : 0.35)) return;
	const tag = HASHTAGS[topic.key]![post.lang === 'zh' ? 'zh' : 'en'];
	post.entities.hashtags.push({ text: tag });
	post.text += post.platform === 'weibo' ? ` #${tag}#` : ` #${tag}`;
}
