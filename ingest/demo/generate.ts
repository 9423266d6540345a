/**
 * Why this exists: the demo data set, written as the SOURCE FILES real systems export (a CRM's
 * customers/orders CSV and Zendesk-like tickets NDJSON, a call center's call log CSV, social posts
 * NDJSON) so it reaches ClickHouse through the same mappings and ingest path as customer data.
 *
 * Deterministic: every customer draws from its own generator seeded by (seed, customer index), so
 * output is byte-identical for the same seed and size. Streamed: one customer at a time is held in
 * memory, so 200,000 customers (~10M interactions) need no more memory than 2,000.
 */
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { ACCESSORIES, ACCESSORIES_ZH, CATEGORIES, PRODUCTS, PRODUCTS_ZH, TOPICS, type Topic } from './topics';

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
const row = (xs: (string | number | boolean | null | undefined)[]) => xs.map(csv).join(',');
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
	social: string | undefined;
	complaintTopic: Topic | undefined;
}

const TOPIC_WEIGHT_SUM = TOPICS.reduce((a, t) => a + t.weight, 0);
function pickTopic(r: Rng): Topic {
	let x = r() * TOPIC_WEIGHT_SUM;
	for (const t of TOPICS) if ((x -= t.weight) <= 0) return t;
	return TOPICS[TOPICS.length - 1]!;
}

function fill(r: Rng, template: string, zh: boolean, t: number): string {
	return template
		.replace('{product}', pick(r, zh ? PRODUCTS_ZH : PRODUCTS))
		.replace('{accessory}', pick(r, zh ? ACCESSORIES_ZH : ACCESSORIES))
		.replace('{order}', `#${100000 + Math.floor(r() * 900000)}`)
		.replace('{days}', String(3 + Math.floor(r() * 12)))
		.replace('{amount}', zh ? `¥${10 + Math.floor(r() * 2000)}` : `$${5 + Math.floor(r() * 500)}`)
		.replace('{festival}', festivalOf(t) ?? (zh ? '双十一' : 'Black Friday'));
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

export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
	const started = Date.now();
	const dir = opts.outDir;
	for (const d of ['crm', 'callcenter', 'social']) mkdirSync(join(dir, d), { recursive: true });
	const files = {
		customers: new Out(
			join(dir, 'crm/customers.csv'),
			'customer_id,full_name,email,phone,segment,tier,region,preferred_language,account_opened,lifetime_value,revenue_12m,status,churn_date'
		),
		orders: new Out(
			join(dir, 'crm/orders.csv'),
			'order_id,customer_id,created_at,amount,currency,status,channel,items,category'
		),
		tickets: new Out(join(dir, 'crm/tickets.ndjson')),
		calls: new Out(
			join(dir, 'callcenter/calls.csv'),
			'call_id,account_number,start_time,queue,agent,team,wait_seconds,talk_seconds,hold_seconds,handle_seconds,disposition,transferred,wrap_up,survey_score,sentiment_score,region,language,transcript'
		),
		posts: new Out(join(dir, 'social/posts.ndjson'))
	};
	const truth = {
		highValue: [] as string[],
		quietChurners: [] as string[],
		complainers: [] as Record<string, string>[]
	};
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
		const ageYears = highValue ? 3.2 + r() * 5 : r() < 0.3 ? 3 + r() * 4 : 0.2 + r() * 2.8;
		const opened = Math.floor((DEMO_END - ageYears * 365.25 * DAY) / DAY) * DAY;
		const from = Math.max(opened, DEMO_START);
		// Churners go quiet at least 90 days before the end of the history.
		const activeUntil = churn === 'none' ? DEMO_END : from + (DEMO_END - 95 * DAY - from) * (0.3 + 0.7 * r());
		const core = ['phone', 'chat', 'email', 'app', 'web'].sort(() => r() - 0.5);
		const nChannels = r() < 0.8 ? 3 + Math.floor(r() * 3) : 1 + Math.floor(r() * 2);
		const channels = core.slice(0, Math.min(nChannels, 5));
		const social = r() < 0.45 ? (zh ? pick(r, ['weibo', 'wechat']) : pick(r, ['x', 'reddit'])) : undefined;
		const c: Customer = {
			id: `C${pad(i + 1, 7)}`,
			zh,
			highValue,
			churn,
			opened,
			activeUntil,
			channels,
			social,
			complaintTopic:
				churn === 'complainer'
					? pick(
							r,
							TOPICS.filter((t) => t.severity)
						)
					: undefined
		};
		if (highValue) truth.highValue.push(c.id);
		if (churn === 'quiet') truth.quietChurners.push(c.id);
		if (c.complaintTopic) truth.complainers.push({ id: c.id, topic: c.complaintTopic.key });

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
			files.orders.line(
				row([
					`O${pad(++orderSeq, 9)}`,
					c.id,
					iso(t),
					amount.toFixed(2),
					zh ? 'CNY' : 'USD',
					status,
					pick(r, ['web', 'app', 'store']),
					1 + Math.floor(r() * 3),
					CATEGORIES[p]
				])
			);
		}

		const tier = ltv > 5000 ? 'platinum' : ltv > 2000 ? 'gold' : ltv > 500 ? 'silver' : 'bronze';
		const name = zh ? pick(r, ZH_SURNAME) + pick(r, ZH_GIVEN) : `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`;
		const email = `${zh ? 'user' : name.split(' ')[0]!.toLowerCase()}${i + 1}@${zh ? 'example.cn' : 'example.com'}`;
		const phone = zh
			? `+86 1${3 + Math.floor(r() * 6)}${pad(Math.floor(r() * 1e9), 9)}`
			: `+1 ${200 + Math.floor(r() * 700)} 555 ${pad(Math.floor(r() * 1e4), 4)}`;
		const churned = churn !== 'none' && r() < 0.7;
		files.customers.line(
			row([
				c.id,
				name,
				email,
				phone,
				r() < 0.2 ? 'business' : 'consumer',
				tier,
				zh ? pick(r, ZH_REGIONS) : pick(r, EN_REGIONS),
				zh ? 'zh-CN' : 'en-US',
				isoDate(opened),
				ltv.toFixed(2),
				revenue12.toFixed(2),
				churned ? 'Churned' : 'Active',
				churned ? isoDate(activeUntil + 60 * DAY) : ''
			])
		);

		// Contacts: high-value customers ~7 a month, others ~2; complainers add repeated complaints.
		const perMonth = highValue ? 6.5 + r() * 2 : 1.6 + r() * 1.2;
		let n = poisson(r, months * perMonth);
		const region = zh ? pick(r, ZH_REGIONS) : pick(r, EN_REGIONS);
		const emit = (t: number, topic: Topic, forceComplaint: boolean, repeat: boolean) => {
			interactions++;
			const h = health(topic, t);
			const complaint = forceComplaint || r() < h.complaintRate;
			const negative = complaint || r() < h.negativeShare;
			const resolved = !complaint && r() < h.resolveRate + (repeat ? -0.15 : 0);
			const lang = c.zh ? c.zh : false;
			const text = fill(r, pick(r, (lang ? topic.zh : topic.en)[negative ? 'neg' : 'pos']), lang, t);
			const survey = clamp(Math.round(h.csat + (negative ? -1.2 : 0.6) + normal(r) * 0.8), 1, 5);
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
						: pick(r, ['unresolved', 'escalated', 'transferred']);
				files.calls.line(
					row([
						`CALL-${pad(++callSeq, 9)}`,
						c.id,
						sqlTime(t),
						topic.queue,
						pick(r, AGENTS),
						pick(r, TEAMS),
						wait,
						talk,
						hold,
						abandoned ? '' : talk + hold + 30,
						disposition,
						disposition === 'transferred' ? 'Y' : 'N',
						complaint ? 'complaint' : topic.scenario === 'transaction' ? 'request' : 'inquiry',
						!abandoned && r() < 0.35 ? survey : '',
						abandoned ? '' : round2(clamp((negative ? -0.55 : 0.45) + 0.3 * normal(r), -1, 1)),
						region,
						lang ? 'zh' : 'en',
						abandoned ? '' : text
					])
				);
			} else if (channel === 'weibo' || channel === 'wechat' || channel === 'x' || channel === 'reddit') {
				const id = `${channel}-${pad(++postSeq, 10)}`;
				files.posts.line(
					JSON.stringify({
						platform: channel,
						post_id: id,
						in_reply_to: null,
						author: { handle: `@${c.id.toLowerCase()}`, crm_id: c.id },
						created_at: iso(t),
						text: (channel === 'x' || channel === 'reddit' ? '@TouchmapCare ' : '@Touchmap客服 ') + text,
						lang: lang ? 'zh' : 'en',
						likes: Math.floor(-Math.log(1 - r()) * (negative ? 20 : 4)),
						reposts: Math.floor(-Math.log(1 - r()) * (negative ? 6 : 1))
					})
				);
			} else {
				const replyMin = Math.round(-Math.log(1 - r()) * (channel === 'chat' ? 2 : 240));
				files.tickets.line(
					JSON.stringify({
						id: ++ticketSeq,
						requester: { external_id: c.id },
						created_at: iso(t),
						via: {
							channel:
								channel === 'chat' ? 'chat' : channel === 'email' ? 'email' : channel === 'app' ? 'mobile_sdk' : 'web'
						},
						subject: text.slice(0, 40),
						description: text,
						category: topic.category,
						type: complaint ? 'complaint' : topic.scenario === 'transaction' ? 'task' : 'question',
						status: resolved ? 'solved' : pick(r, ['open', 'pending', 'solved']),
						priority: complaint ? 'high' : 'normal',
						locale: lang ? 'zh-CN' : 'en-US',
						satisfaction_rating: r() < 0.4 ? { score: survey } : null,
						metrics: {
							reply_time_in_minutes: replyMin,
							agent_work_time_in_minutes: round2((topic.handleSeconds / 60) * Math.exp(0.4 * normal(r))),
							reopens: resolved ? 0 : Math.floor(r() * 3),
							one_touch: resolved && !repeat
						}
					})
				);
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
		const platform = zh ? pick(r, ['weibo', 'wechat']) : pick(r, ['x', 'reddit']);
		const topic = pickTopic(r);
		const t = contactTime(r, DEMO_START, DEMO_END);
		const negative = r() < health(topic, t).negativeShare;
		interactions++;
		files.posts.line(
			JSON.stringify({
				platform,
				post_id: `${platform}-${pad(++postSeq, 10)}`,
				in_reply_to: r() < 0.2 && postSeq > 1 ? `${platform}-${pad(1 + Math.floor(r() * (postSeq - 1)), 10)}` : null,
				author: { handle: `@fan${Math.floor(r() * 1e6)}`, crm_id: '' },
				created_at: iso(t),
				text: fill(r, pick(r, (zh ? topic.zh : topic.en)[negative ? 'neg' : 'pos']), zh, t),
				lang: zh ? 'zh' : 'en',
				likes: Math.floor(-Math.log(1 - r()) * 5),
				reposts: Math.floor(-Math.log(1 - r()) * 1)
			})
		);
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
	writeFileSync(
		join(dir, 'ground-truth.json'),
		JSON.stringify(
			{
				generator: 'touchmap demo v1',
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
					signals: {
						complaintRate: t.complaintRate,
						csat: t.csat,
						resolveRate: t.resolveRate,
						negativeShare: t.negativeShare,
						repeatRate: t.repeatRate
					}
				})),
				baseline: { complaintRate: 0.04, csat: 4.3, resolveRate: 0.8, negativeShare: 0.12 },
				highValue: {
					rule: 'account age >= 3 years and >= 5 interactions a month',
					count: truth.highValue.length,
					ids: truth.highValue
				},
				churners: {
					quiet: {
						rule: 'no interaction in the last 90+ days',
						count: truth.quietChurners.length,
						ids: truth.quietChurners
					},
					repeatedComplaints: {
						rule: '3-5 complaints about the same topic, then quiet',
						count: truth.complainers.length,
						customers: truth.complainers
					}
				}
			},
			null,
			1
		)
	);
	return { files: counts, interactions, seconds: (Date.now() - started) / 1000 };
}
