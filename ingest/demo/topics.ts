/**
 * Why this exists: what the demo's customers contact us about. Each topic sits at a lifecycle
 * stage and touchpoint and has its own "health" (complaint rate, CSAT, resolution, handle time,
 * negative share). Five of them are planted pain points of known severity; the ground-truth file
 * lists them so later tests can check that the product finds them.
 */

export interface Topic {
	key: string;
	stage: string;
	touchpoint: string;
	scenario: 'transaction' | 'after_sales' | 'complaint' | 'inquiry';
	intent: string;
	/** Call-center queue and CRM ticket category that the mappings turn into stage/touchpoint. */
	queue: string;
	category: string;
	weight: number;
	complaintRate: number;
	/** Mean survey score 1–5. */
	csat: number;
	resolveRate: number;
	negativeShare: number;
	handleSeconds: number;
	/** Chance that a contact is followed by a repeat contact on the same topic within days. */
	repeatRate: number;
	severity?: 'red' | 'yellow' | 'blue';
	description?: string;
	/** Optional onset: the problem is only this bad from this date (ISO) on. */
	since?: string;
	en: { pos: string[]; neg: string[] };
	zh: { pos: string[]; neg: string[] };
}

const healthy = { complaintRate: 0.04, csat: 4.3, resolveRate: 0.8, negativeShare: 0.12, repeatRate: 0.03 };

export const TOPICS: Topic[] = [
	{
		key: 'promotion',
		stage: 'awareness',
		touchpoint: 'promotion inquiry',
		scenario: 'inquiry',
		intent: 'promotion',
		queue: 'Sales',
		category: 'Promotions',
		weight: 6,
		...healthy,
		handleSeconds: 240,
		en: {
			pos: [
				'Saw the {festival} ad, does the discount apply to {product}?',
				'Is the coupon for new members still valid this week?',
				'Thanks, the promo code worked on my {product}.'
			],
			neg: [
				'Your ad said 30% off {product} but checkout shows full price.',
				'The promo code I got by email is rejected.'
			]
		},
		zh: {
			pos: [
				'看到{festival}的广告，{product}有优惠吗？',
				'新会员优惠券这周还能用吗？',
				'谢谢，{product}的优惠码可以用了。'
			],
			neg: ['广告说{product}打七折，结账却是原价。', '邮件里的优惠码用不了。']
		}
	},
	{
		key: 'product_question',
		stage: 'consideration',
		touchpoint: 'product question',
		scenario: 'inquiry',
		intent: 'product_question',
		queue: 'Product Advice',
		category: 'Product question',
		weight: 8,
		complaintRate: 0.07,
		csat: 3.8,
		resolveRate: 0.62,
		negativeShare: 0.25,
		handleSeconds: 420,
		repeatRate: 0.12,
		severity: 'blue',
		description: 'Accessory compatibility questions: customers cannot tell which accessories fit their model.',
		en: {
			pos: [
				'Does the {accessory} fit the {product}?',
				'Which charger works with {product}? Thanks for the quick answer.'
			],
			neg: [
				'Bought the {accessory} for my {product} and it does not fit, the site says compatible.',
				'Nobody can tell me if the {accessory} works with {product}, third time asking.',
				'The compatibility chart for {accessory} is wrong.'
			]
		},
		zh: {
			pos: ['{accessory}适用于{product}吗？', '{product}用哪个充电器？谢谢回复。'],
			neg: [
				'买的{accessory}装不上我的{product}，网站写着兼容。',
				'问了三次都没人说清楚{accessory}能不能配{product}。',
				'{accessory}的兼容列表是错的。'
			]
		}
	},
	{
		key: 'checkout',
		stage: 'purchase',
		touchpoint: 'checkout',
		scenario: 'transaction',
		intent: 'place_order',
		queue: 'Orders',
		category: 'Order placement',
		weight: 8,
		...healthy,
		handleSeconds: 300,
		en: {
			pos: ['I want to order two {product}, can you help?', 'Order placed, thanks for the help with the address.'],
			neg: ['Checkout keeps failing at the payment step.', 'I was charged but the order is not in my account.']
		},
		zh: {
			pos: ['我想订两个{product}，能帮忙吗？', '下单成功，谢谢帮我改地址。'],
			neg: ['结账一直卡在付款那一步。', '钱扣了，订单却没有。']
		}
	},
	{
		key: 'delivery',
		stage: 'delivery',
		touchpoint: 'delivery status',
		scenario: 'after_sales',
		intent: 'delivery',
		queue: 'Delivery',
		category: 'Delivery',
		weight: 12,
		complaintRate: 0.42,
		csat: 2.2,
		resolveRate: 0.45,
		negativeShare: 0.7,
		handleSeconds: 540,
		repeatRate: 0.35,
		severity: 'red',
		description: 'Late delivery: orders arrive days late, worst around shopping festivals; repeat contacts.',
		en: {
			pos: ['Where is my order {order}? Tracking says out for delivery.', 'Package arrived today, thanks.'],
			neg: [
				'My order {order} is {days} days late and tracking has not moved.',
				'Still no delivery after {days} days, this is unacceptable.',
				'Third call about order {order}, the courier never came.',
				'You promised delivery by {festival} and it is {days} days late.'
			]
		},
		zh: {
			pos: ['订单{order}到哪了？物流显示正在派送。', '包裹今天到了，谢谢。'],
			neg: [
				'订单{order}已经晚了{days}天，物流一直没更新。',
				'等了{days}天还没送到，太差了。',
				'第三次打电话问订单{order}，快递员根本没来。',
				'说好{festival}前送到，现在晚了{days}天。'
			]
		}
	},
	{
		key: 'refund',
		stage: 'after_sales',
		touchpoint: 'refund request',
		scenario: 'after_sales',
		intent: 'refund',
		queue: 'Refunds',
		category: 'Refund',
		weight: 8,
		complaintRate: 0.38,
		csat: 2.0,
		resolveRate: 0.4,
		negativeShare: 0.68,
		handleSeconds: 660,
		repeatRate: 0.3,
		severity: 'red',
		description: 'Slow refunds: refunds take weeks, customers chase them repeatedly.',
		en: {
			pos: ['I returned {product}, when will the refund arrive?', 'Refund received, thank you.'],
			neg: [
				'Returned {product} {days} days ago and still no refund.',
				'Where is my refund of {amount}? Nobody answers.',
				'This is the fourth time I ask about my refund.'
			]
		},
		zh: {
			pos: ['{product}已经退回，退款什么时候到？', '退款收到了，谢谢。'],
			neg: ['{product}退回{days}天了，还没退款。', '我的{amount}退款在哪？没人回复。', '这是我第四次问退款了。']
		}
	},
	{
		key: 'billing',
		stage: 'after_sales',
		touchpoint: 'billing inquiry',
		scenario: 'complaint',
		intent: 'billing',
		queue: 'Billing',
		category: 'Billing',
		weight: 7,
		complaintRate: 0.3,
		csat: 2.7,
		resolveRate: 0.55,
		negativeShare: 0.5,
		handleSeconds: 600,
		repeatRate: 0.18,
		severity: 'yellow',
		since: '2026-01-01',
		description: 'Billing errors since January 2026: double charges and wrong invoice amounts.',
		en: {
			pos: ['Can you explain the charge of {amount} on my invoice?', 'Invoice corrected, thanks.'],
			neg: [
				'I was charged twice for order {order}.',
				'My invoice shows {amount} but I paid less.',
				'Wrong amount billed again this month.'
			]
		},
		zh: {
			pos: ['能解释一下发票上{amount}的费用吗？', '发票改好了，谢谢。'],
			neg: ['订单{order}被扣了两次钱。', '发票写着{amount}，可我付的没这么多。', '这个月又扣错钱了。']
		}
	},
	{
		key: 'returns',
		stage: 'after_sales',
		touchpoint: 'returns & exchange',
		scenario: 'after_sales',
		intent: 'return',
		queue: 'Returns',
		category: 'Returns',
		weight: 6,
		...healthy,
		handleSeconds: 420,
		en: {
			pos: ['I would like to exchange {product} for another size.', 'The exchange was easy, thanks.'],
			neg: ['The return label does not work.']
		},
		zh: { pos: ['我想把{product}换个尺码。', '换货很方便，谢谢。'], neg: ['退货标签打不出来。'] }
	},
	{
		key: 'tech_support',
		stage: 'after_sales',
		touchpoint: 'technical support',
		scenario: 'after_sales',
		intent: 'technical_support',
		queue: 'Tech Support',
		category: 'Technical support',
		weight: 9,
		...healthy,
		csat: 4.0,
		handleSeconds: 780,
		en: {
			pos: ['My {product} will not pair with my phone.', 'The reset fixed my {product}, great support.'],
			neg: ['{product} stopped working after the update.']
		},
		zh: { pos: ['{product}连不上手机。', '重置后{product}好了，客服很专业。'], neg: ['更新后{product}用不了了。'] }
	},
	{
		key: 'login',
		stage: 'loyalty',
		touchpoint: 'app login',
		scenario: 'after_sales',
		intent: 'login',
		queue: 'Digital Help',
		category: 'Account access',
		weight: 7,
		complaintRate: 0.22,
		csat: 2.8,
		resolveRate: 0.55,
		negativeShare: 0.55,
		handleSeconds: 360,
		repeatRate: 0.2,
		severity: 'yellow',
		description: 'App login failures: verification codes never arrive, accounts locked after the app update.',
		en: {
			pos: ['How do I reset my app password?', 'Logged in again, thanks.'],
			neg: [
				'The app keeps saying my password is wrong.',
				'Verification code never arrives, cannot log in.',
				'Locked out of my account since the update.'
			]
		},
		zh: {
			pos: ['App密码怎么重置？', '可以登录了，谢谢。'],
			neg: ['App一直说我密码错误。', '收不到验证码，登录不了。', '更新后账号被锁了。']
		}
	},
	{
		key: 'renewal',
		stage: 'loyalty',
		touchpoint: 'membership renewal',
		scenario: 'transaction',
		intent: 'renewal',
		queue: 'Membership',
		category: 'Membership',
		weight: 5,
		...healthy,
		handleSeconds: 300,
		en: {
			pos: ['I want to renew my membership for another year.', 'Renewed, thanks for the loyalty discount.'],
			neg: ['My membership renewed without asking me.']
		},
		zh: { pos: ['我想续一年会员。', '续费成功，谢谢老会员折扣。'], neg: ['会员没问我就自动续费了。'] }
	},
	{
		key: 'account',
		stage: 'loyalty',
		touchpoint: 'account management',
		scenario: 'inquiry',
		intent: 'account',
		queue: 'Customer Care',
		category: 'Account',
		weight: 5,
		...healthy,
		handleSeconds: 270,
		en: {
			pos: ['Please update my delivery address.', 'Changed my email, thank you.'],
			neg: ['I asked twice to update my address and it is still wrong.']
		},
		zh: { pos: ['请帮我改一下收货地址。', '邮箱改好了，谢谢。'], neg: ['我说了两次改地址，还是错的。'] }
	}
];

export const PRODUCTS = [
	'Aurora X2 phone',
	'Nimbus earbuds',
	'Atlas smartwatch',
	'Orbit tablet',
	'Pulse speaker',
	'Vega laptop'
];
export const PRODUCTS_ZH = ['极光X2手机', '云朵耳机', '阿特拉斯手表', '轨道平板', '脉冲音箱', '织女笔记本'];
export const ACCESSORIES = ['fast charger', 'protective case', 'screen protector', 'charging dock', 'strap'];
export const ACCESSORIES_ZH = ['快充头', '保护壳', '钢化膜', '充电座', '表带'];
export const CATEGORIES = ['phones', 'audio', 'wearables', 'tablets', 'audio', 'computers'];

/**
 * The hashtag people attach when they post about a topic (Weibo writes #话题#, X and Reddit #Tag).
 * The social mapping turns the first hashtag into stage and touchpoint; posts without one are left
 * to the keyword rules.
 */
export const HASHTAGS: Record<string, { en: string; zh: string }> = {
	promotion: { en: 'DealAlert', zh: '优惠活动' },
	product_question: { en: 'WillItFit', zh: '配件兼容' },
	checkout: { en: 'CheckoutFail', zh: '下单问题' },
	delivery: { en: 'WhereIsMyOrder', zh: '快递太慢' },
	refund: { en: 'RefundPlease', zh: '退款难' },
	billing: { en: 'DoubleCharged', zh: '扣费错误' },
	returns: { en: 'ReturnsHelp', zh: '退换货' },
	tech_support: { en: 'TechHelp', zh: '售后维修' },
	login: { en: 'CantLogIn', zh: '登录不了' },
	renewal: { en: 'MemberLife', zh: '会员续费' },
	account: { en: 'AccountHelp', zh: '账户设置' }
};

/** Templates that say the matter is settled; only used when the contact was resolved. */
export const SETTLED =
	/thank|great|easy|worked|received|arrived|fixed|renewed|changed|corrected|placed|logged in|谢谢|好了|成功|方便|专业|收到|到了|可以用/i;
