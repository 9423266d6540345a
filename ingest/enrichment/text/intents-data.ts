/**
 * Why this exists: Touchmap's intent vocabulary, the scenario each intent belongs to, how the 27
 * Bitext intents map onto it, and our own labelled examples — Chinese ones for every intent (Bitext
 * is English only) and English ones for intents Bitext lacks (product questions, technical support,
 * renewals, returns, promotions). The "other" class is trained on texts that are not a customer
 * request, so that unrelated text stays unknown instead of being forced into the nearest intent.
 * Written by us for training; the demo's texts (ingest/demo/topics.ts) are kept for evaluation only.
 */
import type { Scenario } from '../../../schemas/entities';

export const INTENT_SCENARIO = {
	place_order: 'transaction',
	cancel_order: 'transaction',
	renewal: 'transaction',
	delivery: 'after_sales',
	refund: 'after_sales',
	return: 'after_sales',
	technical_support: 'after_sales',
	login: 'after_sales',
	billing: 'complaint',
	complaint: 'complaint',
	account: 'inquiry',
	product_question: 'inquiry',
	promotion: 'inquiry',
	contact_agent: 'inquiry',
	feedback: 'inquiry'
} as const satisfies Record<string, Scenario>;
export type Intent = keyof typeof INTENT_SCENARIO;
export const INTENTS = Object.keys(INTENT_SCENARIO) as Intent[];
/** The model's extra class for "not a customer request"; reported as unknown (''). */
export const OTHER = 'other';

export const BITEXT_TO_INTENT: Record<string, Intent> = {
	cancel_order: 'cancel_order',
	change_order: 'place_order',
	place_order: 'place_order',
	check_cancellation_fee: 'cancel_order',
	check_invoice: 'billing',
	get_invoice: 'billing',
	check_payment_methods: 'billing',
	payment_issue: 'billing',
	check_refund_policy: 'refund',
	get_refund: 'refund',
	track_refund: 'refund',
	complaint: 'complaint',
	contact_customer_service: 'contact_agent',
	contact_human_agent: 'contact_agent',
	create_account: 'account',
	delete_account: 'account',
	edit_account: 'account',
	switch_account: 'account',
	change_shipping_address: 'account',
	set_up_shipping_address: 'account',
	recover_password: 'login',
	registration_problems: 'login',
	delivery_options: 'delivery',
	delivery_period: 'delivery',
	track_order: 'delivery',
	newsletter_subscription: 'promotion',
	review: 'feedback'
};

const lines = (s: string) =>
	s
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);

/**
 * Our own English customer-service sentiment examples (label 1 = positive). The English model's
 * public data are film and product reviews; these teach it that "charged twice" or "still waiting"
 * are complaints. Weighted up in training (scripts/train-text.ts).
 */
export const OWN_SENTIMENT_EN: { text: string; label: 0 | 1 }[] = [
	...lines(`I was charged twice and nobody answers my emails
	still waiting for my refund after three weeks
	my parcel is a week late and tracking has not moved
	the courier never came and I took a day off for it
	third time I call about the same problem
	your support keeps me on hold for an hour
	the app keeps crashing and logging me out
	I cannot log in and the reset link never arrives
	the promo code does not work and the chat is useless
	wrong item delivered and the return label does not print
	it is taking forever, cancel my order
	nobody can tell me where my money is
	the product broke after two days
	I want to speak to a manager, this is unacceptable
	the invoice is wrong again this month
	still no delivery, this is ridiculous
	the agent hung up on me
	I have been waiting for a callback since Monday
	I was charged twice
	you double charged my card
	I was billed twice for one order
	overcharged again on my invoice
	the wrong amount was taken from my account
	my order is late again
	the package arrived damaged
	the refund has not arrived
	the code was rejected at checkout
	the item does not fit even though the site says compatible
	I was charged but the order is missing
	still no answer from support
	the app says my password is wrong
	it stopped working after the update
	nobody replied to my complaint`).map((text) => ({ text, label: 0 as const })),
	...lines(`thanks, the refund arrived today
	great support, the agent fixed it in two minutes
	package arrived early, very happy
	the exchange was quick and easy
	problem solved, thank you so much
	the new headphones work perfectly
	fast delivery and friendly courier
	the chat agent was very helpful
	login works again, thanks for the quick help
	love the product, will order again
	the discount worked, thanks
	smooth checkout and quick shipping
	the invoice was corrected quickly, thanks
	refund received in two days
	the courier was early and polite
	support answered within minutes
	the replacement works fine
	easy return, money back already`).map((text) => ({ text, label: 1 as const }))
];

/** Our own labelled examples, by intent. */
export const OWN_EXAMPLES: Record<Intent | typeof OTHER, { en: string[]; zh: string[] }> = {
	place_order: {
		en: lines(`checkout failed twice, my card was declined at payment
		I paid but there is no order in my account
		I would like to order the black one in size M
		the website will not let me finish my purchase
		can I add another item to my order
		I want to buy two of these headphones
		how do I place an order for the blue one
		can't complete checkout, the payment page freezes
		the cart empties when I click pay
		please help me order a gift for my mum`),
		zh: lines(`结账失败了两次
		付了钱但账户里没有订单
		我想订一件黑色M码的
		网站不让我完成购买
		我想买两件这个商品
		怎么下单买蓝色的那款
		付款页面一直卡住，下不了单
		购物车点支付就清空了
		帮我下个订单送给我妈妈
		我要订购三台
		提交订单的时候报错了
		能帮我加急下单吗
		下单时优惠没有算进去
		想再买一个一样的`)
	},
	cancel_order: {
		en: lines(`cancel my purchase please, it is taking forever
		I need to cancel the order I placed yesterday
		how do I cancel an order that has not shipped
		stop my order, I do not want it anymore
		is there a fee to cancel my order
		please cancel my order I ordered by mistake
		I changed my mind, cancel the purchase`),
		zh: lines(`还没发货能取消吗
		订单太慢了，我要取消
		请帮我取消订单
		我下错单了，要取消
		订单能取消吗，不想要了
		取消订单要收手续费吗
		怎么取消刚下的订单
		我不想买了，帮我撤销订单
		取消订单后钱多久退回
		刚付款就想取消了`)
	},
	renewal: {
		en: lines(`I want to renew my membership for another year
		my subscription renewed automatically without asking
		how much does the annual renewal cost
		please turn off auto renewal
		renew my plan with the loyalty discount
		my membership expires next week, can I extend it
		I was auto-renewed and I want to stop it
		does the renewal price include the member discount`),
		zh: lines(`我想续费一年会员
		会员自动续费了，没有提醒我
		年费续订多少钱
		请关闭自动续费
		用老会员折扣续订
		会员下周到期，可以延期吗
		被自动扣了续费，我要取消
		续费价格有会员优惠吗
		怎么续订我的套餐
		订阅到期了怎么续`)
	},
	delivery: {
		en: lines(`my package is a week late and nobody can tell me where it is
		the parcel is 5 days late
		still waiting for my delivery
		the courier never showed up
		the order says delivered but I never got it
		my order has been stuck in transit for days
		when will my package arrive
		my parcel still has not arrived
		the courier left my package at the wrong house
		tracking has not updated for five days
		when will my order be delivered
		the delivery is a week late
		can you ship to my office instead`),
		zh: lines(`包裹晚了一周，没人知道在哪
		还在等快递
		快递员一直没来
		显示已送达但没收到
		我的快递还没到
		快递员把包裹送错地方了
		物流信息五天没更新了
		我的订单什么时候能送到
		送货晚了一个星期
		能不能送到我公司
		快递太慢了
		包裹显示已签收但我没收到
		什么时候发货
		配送要几天
		查一下我的物流
		快递一直不派送`)
	},
	refund: {
		en: lines(`it has been two weeks and my refund is still not here
		I returned the item but the money is not back
		where is my money, I was promised a refund
		the refund went to the wrong card
		I still have not received my refund
		how long does a refund take
		I want my money back`),
		zh: lines(`退货两周了钱还没退
		说好的退款到现在没收到
		退款还没到账
		退款要多久
		我要退款
		申请退款一直没处理
		钱什么时候退回来
		退款进度怎么查
		商家同意退款了但钱没到
		退款金额不对
		能全额退款吗
		退款被拒绝了`)
	},
	return: {
		en: lines(`I want to return this jacket
		how do I exchange it for a bigger size
		the return label will not print
		can I send it back if it does not fit
		I need a replacement, the item arrived broken
		where do I drop off my return
		the return window closed yesterday, can I still return it
		exchange for a different colour please`),
		zh: lines(`我想退货
		怎么换大一码
		退货标签打印不了
		不合适可以退回吗
		收到的东西坏了，要换新的
		退货寄到哪里
		过了七天还能退货吗
		请帮我换个颜色
		退换货流程是什么
		申请换货`)
	},
	technical_support: {
		en: lines(`the headphones stopped working after the update
		my speaker will not turn on
		the device disconnects all the time
		the app does not sync with my watch
		my headphones will not connect to bluetooth
		the app crashes every time I open it
		the device stopped working after the update
		the screen is flickering
		it will not charge anymore
		how do I reset the device to factory settings
		the speaker makes a buzzing noise
		the firmware update failed`),
		zh: lines(`耳机更新后坏了
		设备老是断开连接
		耳机连不上蓝牙
		一打开应用就闪退
		更新以后设备坏了
		屏幕一直闪
		充不进电了
		怎么恢复出厂设置
		音箱有杂音
		固件升级失败
		机器开不了机
		手表不同步数据
		需要维修
		保修期内能免费修吗`)
	},
	login: {
		en: lines(`the app keeps saying my password is wrong
		I cannot sign in since the update
		the verification code does not arrive
		I reset my password and still cannot log in
		locked out of my account again
		I forgot my password
		I cannot log in to the app
		the verification code never arrives
		my account is locked`),
		zh: lines(`应用一直说我密码错误
		更新后登不上了
		重置密码后还是登录不了
		忘记密码了
		登录不了
		验证码收不到
		账号被锁了
		密码重置邮件没收到
		一直提示密码错误
		换了手机登不上
		注册时提示出错
		怎么找回密码
		扫码登录失败`)
	},
	billing: {
		en: lines(`I was charged twice for the same order
		my invoice shows the wrong amount
		you billed me again this month by mistake
		please explain this charge on my statement
		the price I paid is higher than the invoice
		I need a copy of my invoice
		I was charged twice
		there is a charge on my card I do not recognise
		can I pay with paypal`),
		zh: lines(`同一个订单扣了两次钱
		发票上的金额错了
		这个月又多扣了钱
		请解释一下账单上的费用
		被扣了两次钱
		信用卡上有一笔不认识的扣款
		可以用支付宝付款吗
		我要开发票
		发票金额不对
		账单上多收了钱
		支付失败但是扣款了
		怎么下载电子发票
		这个月扣费错了
		付款方式有哪些`)
	},
	complaint: {
		en: lines(`I want to file a complaint about your service
		this is the worst customer service ever`),
		zh: lines(`我要投诉
		你们的服务太差了
		我要投诉这个客服
		态度恶劣，要求处理
		再不解决我就去消协投诉
		对你们的处理结果非常不满意
		我要向上级投诉
		这是我第三次投诉了`)
	},
	account: {
		en: lines(`please update my shipping address
		change the email on my account`),
		zh: lines(`帮我改一下收货地址
		修改账户邮箱
		怎么注册账号
		我想注销账户
		更新我的手机号
		添加新的收货地址
		切换到另一个账号
		修改个人资料
		帮我改一下账户信息
		怎么删除账号`)
	},
	product_question: {
		en: lines(`does the charging case fit these headphones
		will this cable work with my laptop
		the accessory does not fit although the site says it is compatible
		which model do I need for my phone
		is the compatibility list correct
		does this case fit the new model
		is this charger compatible with my phone
		what size should I get
		is the jacket waterproof
		how long does the battery last
		what is the difference between the two versions
		is this item in stock
		what material is it made of`),
		zh: lines(`这个配件和我的耳机兼容吗
		网站说兼容但装不上
		这个壳适合新款吗
		这个充电器兼容我的手机吗
		我应该买哪个尺码
		这件外套防水吗
		电池能用多久
		两个版本有什么区别
		这个有货吗
		是什么材质的
		这款有黑色吗
		保质期多久`)
	},
	promotion: {
		en: lines(`the promo code from your email is rejected
		the discount was not applied at checkout
		does the coupon work on sale items
		the advert said half price but I paid full price
		does the discount apply to this item
		my coupon code is not working
		when is the next sale
		is there a student discount
		sign me up for the newsletter
		the ad said 20 percent off but I was charged full price`),
		zh: lines(`邮件里的优惠码不能用
		结账时折扣没生效
		这个商品能用折扣吗
		优惠券用不了
		下次打折是什么时候
		有学生优惠吗
		帮我订阅促销邮件
		广告说打八折结账却是原价
		满减活动怎么参加
		双十一有活动吗
		会员有额外折扣吗
		优惠码无效`)
	},
	contact_agent: {
		en: lines(`let me talk to a real person
		how do I reach customer service`),
		zh: lines(`我要找人工客服
		转人工
		客服电话是多少
		怎么联系客服
		请让真人来回答
		客服什么时候上班
		在线客服在哪里
		我想和经理通话`)
	},
	feedback: {
		en: lines(`I want to leave a review
		great service, thank you so much`),
		zh: lines(`我想写个评价
		服务很好，谢谢
		给你们提个建议
		怎么给商品打分
		整体体验不错
		想反馈一个问题
		五星好评
		客服很耐心，点赞`)
	},
	other: {
		en: lines(`the weather is lovely today
		happy birthday to my best friend
		watching the football game tonight
		what a great movie
		just had the best coffee in town
		good morning everyone
		I love this song
		traffic is terrible this morning
		can't wait for the weekend
		lol that meme is hilarious
		the new season of the show is out
		my cat is sleeping on my keyboard`),
		zh: lines(`今天天气真好
		祝我最好的朋友生日快乐
		今晚看足球比赛
		这部电影太好看了
		刚喝了一杯超好喝的咖啡
		大家早上好
		我很喜欢这首歌
		早上堵车好严重
		周末快点来吧
		哈哈哈笑死我了
		新一季终于更新了
		我家猫睡在键盘上
		今天加班到很晚
		明天去爬山`)
	}
};

/**
 * Short complaint titles and subject lines, written for Touchmap (not taken from any evaluation
 * set): a ticket whose whole text is "<brand> data caps" or "billing" is not praise. Label 0 is
 * negative, 1 neutral; trained into the three-class English model (scripts/train-text-three.ts).
 */
export const OWN_COMPLAINT_TITLES_EN: { text: string; label: 0 | 1 }[] = [
	...lines(`data caps
	Comcast data caps
	throttling by Verizon
	internet throttling
	hidden fees
	unexpected fees on my bill
	overcharged
	double billing
	wrong charge on statement
	late fee dispute
	unauthorized transaction
	fraudulent charges
	account closed without notice
	loan servicing problems
	debt collection harassment
	calls from collectors
	incorrect information on credit report
	identity theft
	billing error
	poor customer service
	no refund
	refund not received
	service outage
	dropped calls
	slow internet speed
	damaged package
	missing package
	delayed shipment
	defective product
	broken on arrival
	cancellation fee
	auto renewal charged
	price increase without notice
	repossession
	foreclosure
	mortgage modification denied
	interest rate too high
	payment not credited
	collection of debt not owed`).map((text) => ({ text, label: 0 as const })),
	...lines(`billing
	Comcast billing
	AT&T billing question
	account access
	managing an account
	payment process
	credit card
	checking account
	loan payment
	mortgage
	shipping
	delivery
	order status
	returns and exchanges
	password reset
	app login
	customer service
	contract terms
	plan change
	SIM card
	data plan
	Sprint service
	T-Mobile account
	Xfinity internet`).map((text) => ({ text, label: 1 as const }))
];
