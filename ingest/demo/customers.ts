/**
 * Why this exists: who the demo's customers are. Each customer draws, from its own generator, a
 * language, whether it is a planted high-value customer or churner, how long it has had its
 * account, its channels and region — and, once its orders are known, the CRM row a real CRM would
 * export for it.
 */
import type { CrmCustomerRow, SocialPost } from '../../schemas/sources';
import { DAY, DEMO_END, DEMO_START, isoDate, pad, pick, type Rng } from './random';
import { TOPICS, type Topic } from './topics';

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

export interface DemoCustomer {
	id: string;
	zh: boolean;
	highValue: boolean;
	churn: 'none' | 'quiet' | 'complainer';
	opened: number;
	/** First day of its history in the demo window. */
	from: number;
	/** Last day this customer contacts us (churners stop early). */
	activeUntil: number;
	/** A churner's churn date as its CRM would record it (0: not a churner). */
	churnAt: number;
	/** Months between `from` and `activeUntil` (at least half of one). */
	months: number;
	channels: string[];
	social: SocialPost['platform'] | undefined;
	region: string;
	complaintTopic: Topic | undefined;
}

/**
 * When a churner leaves, by the CRM's churn date, and when it last contacted us: the CRM records
 * churn 60 days after the last contact. Churn dates are spread over the whole history (density
 * falling from 1.25 to 0.75: the service getting better), so every period, a baseline half-year
 * included, records churn — from the first day that leaves a churner 14 days of contacts after
 * `from` (a complainer 60, for its complaints) to 35 days before the end.
 */
function churnDates(r: Rng, from: number, complainer: boolean): { activeUntil: number; churnAt: number } {
	const lo = from + ((complainer ? 60 : 14) + 60) * DAY;
	const hi = DEMO_END - 35 * DAY;
	// Inverse of the CDF 1.25x − 0.25x² of that falling density.
	const x = (1.25 - Math.sqrt(1.5625 - r())) / 0.5;
	const churnAt = lo + Math.max(0, hi - lo) * x;
	return { activeUntil: churnAt - 60 * DAY, churnAt };
}

/** Customer `i`: its profile, drawn first from its generator. */
export function drawCustomer(r: Rng, i: number): DemoCustomer {
	const zh = r() < 0.35;
	const highValue = r() < 0.06;
	const churnRoll = r();
	const churn: DemoCustomer['churn'] = highValue
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
	const { activeUntil, churnAt } =
		churn === 'none' ? { activeUntil: DEMO_END, churnAt: 0 } : churnDates(r, from, churn === 'complainer');
	const core = ['phone', 'chat', 'email', 'app', 'web'].sort(() => r() - 0.5);
	const nChannels = r() < 0.8 ? 3 + Math.floor(r() * 3) : 1 + Math.floor(r() * 2);
	const channels = core.slice(0, Math.min(nChannels, 5));
	const social =
		r() < 0.45 ? (zh ? pick(r, ['weibo', 'wechat'] as const) : pick(r, ['x', 'reddit'] as const)) : undefined;
	const region = zh ? pick(r, ZH_REGIONS) : pick(r, EN_REGIONS);
	return {
		id: `C${pad(i + 1, 7)}`,
		zh,
		highValue,
		churn,
		opened,
		from,
		activeUntil,
		churnAt,
		months: Math.max(0.5, (activeUntil - from) / (30 * DAY)),
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
}

/** The CRM's row for customer `i`, its value from its orders; whether the CRM marks it churned. */
export function crmCustomer(
	r: Rng,
	c: DemoCustomer,
	i: number,
	value: { ltv: number; revenue12: number }
): { row: CrmCustomerRow; churned: boolean } {
	const { zh, opened, region } = c;
	const { ltv, revenue12 } = value;
	const tier = ltv > 5000 ? 'platinum' : ltv > 2000 ? 'gold' : ltv > 500 ? 'silver' : 'bronze';
	const name = zh ? pick(r, ZH_SURNAME) + pick(r, ZH_GIVEN) : `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`;
	const email = `${zh ? 'user' : name.split(' ')[0]!.toLowerCase()}${i + 1}@${zh ? 'example.cn' : 'example.com'}`;
	const phone = zh
		? `+86 1${3 + Math.floor(r() * 6)}${pad(Math.floor(r() * 1e9), 9)}`
		: `+1 ${200 + Math.floor(r() * 700)} 555 ${pad(Math.floor(r() * 1e4), 4)}`;
	const churned = c.churn !== 'none' && r() < 0.7;
	const row: CrmCustomerRow = {
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
		churn_date: churned ? isoDate(c.churnAt) : ''
	};
	return { row, churned };
}
