/**
 * Why this exists: every reason needs a place on the journey map before anyone maps it by hand.
 * The guess reads the reason's phrases (and the intents of its texts, where a source has them)
 * against a small keyword lexicon per stage in English and Chinese, phrases near the top counting
 * more. Support and complaint data is mostly after-sales, so that is the answer when nothing
 * matches. A user's choice replaces the guess.
 */
import { STAGES, type Stage } from '../../../schemas/entities';
import { foldEnglish } from './features';

const LEXICON: Record<Stage, string> = {
	awareness:
		'ad advert advertisement advertising commercial promotion promo campaign newsletter marketing flyer sponsor ' +
		'广告 活动 宣传 推广 营销 代言',
	consideration:
		'price pricing plan compare comparison quote option feature deal offer discount coupon cost availability ' +
		'stock eligible eligibility information inquiry enquiry rate 价格 多少钱 套餐 比较 优惠 折扣 资费 咨询 介绍 区别 功能 费率',
	purchase:
		'order checkout payment pay paid card cart buy bought purchase transaction apply application signup ' +
		'register registration open 支付 付款 下单 购买 订单 刷卡 交易 绑卡 开通 申请 注册 扫码 闪付 消费',
	delivery:
		'deliver delivery delivered shipping ship shipped shipment package parcel courier tracking track arrive ' +
		'arrived late delay delayed dispatch installation install activation activate 物流 快递 配送 发货 送货 到货 包裹 派送 签收 安装',
	after_sales:
		'refund return complaint complain support broken billing bill dispute fraud error problem issue repair ' +
		'warranty replace replacement fee charged charge debt collection report investigation outage service agent ' +
		'退款 退货 投诉 售后 客服 维修 故障 差错 扣款 失败 换货 账单 退',
	loyalty:
		'cancel cancellation renew renewal subscription subscribe unsubscribe point reward membership member ' +
		'loyalty upgrade contract switch 会员 积分 续费 订阅 取消 退订 注销 升级 权益 奖励'
};

const KEYWORDS: { stage: Stage; word: string; han: boolean }[] = STAGES.flatMap((stage) =>
	LEXICON[stage]
		.split(' ')
		.map((w) => ({ stage, word: /[\u4e00-\u9fff]/.test(w) ? w : foldEnglish(w), han: /[\u4e00-\u9fff]/.test(w) }))
);

function stageScores(text: string, weight: number, into: Map<Stage, number>): void {
	const words = new Set(
		text
			.toLowerCase()
			.split(/[^\p{L}\p{N}]+/u)
			.filter(Boolean)
			.map(foldEnglish)
	);
	for (const k of KEYWORDS) {
		if (k.han ? text.includes(k.word) : words.has(k.word)) into.set(k.stage, (into.get(k.stage) ?? 0) + weight);
	}
}

/** Stage guessed from a reason's phrases (best first) and, if known, its texts' main intent. */
export function guessStage(phrases: string[], intent?: string): Stage {
	const scores = new Map<Stage, number>();
	phrases.forEach((p, i) => stageScores(p, 1 / (i + 1), scores));
	// An intent name leads with its verb ("track_order", "cancel_subscription"): earlier words weigh more.
	if (intent) intent.split(/[\s_-]+/).forEach((w, i) => stageScores(w, 3 / (i + 1), scores));
	let best: Stage = 'after_sales';
	let top = 0;
	for (const s of STAGES) {
		const v = scores.get(s) ?? 0;
		if (v > top) [best, top] = [s, v];
	}
	return best;
}
