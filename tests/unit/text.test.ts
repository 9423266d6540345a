import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
	analyzeText,
	englishLogits,
	fold,
	labelOf,
	loadModels,
	modelsDir,
	prepare
} from '../../ingest/enrichment/text/analyze';
import { logits } from '../../ingest/enrichment/text/linear';
import { softmaxLogits } from '../../ingest/enrichment/text/softmax';
import { denseFeatures, loadVectors } from '../../ingest/enrichment/text/vectors';
import { enrichRecord, ENRICHED_ATTRIBUTE, isComplaint } from '../../ingest/enrichment/text-enricher';
import { analyzeBatch, closeTextPool, textThreadsInUse } from '../../ingest/enrichment/text/pool';
import { detectLanguage } from '../../ingest/enrichment/text/language';
import { cleanText, emojiPolarity, MAX_SCORED_CHARS } from '../../ingest/enrichment/text/normalize';
import { tokenizeChinese, tokenizeEnglish } from '../../ingest/enrichment/text/tokenize';
import { salientTerms } from '../../src/lib/server/text/terms';
import { InteractionSchema } from '../../schemas/entities';

const sentiment = (t: string) => analyzeText(t).sentiment ?? NaN;

describe('cleaning', () => {
	it.each([
		['<p>Great <b>service</b></p>', 'Great service'],
		['Tracking: https://track.example.com/a?b=1 still nothing', 'Tracking: still nothing'],
		['see www.example.com/x.', 'see'],
		['@acme_support where is my parcel', 'where is my parcel'],
		['Fish &amp; chips &lt;3 &#39;ok&#39;', "Fish & chips <3 'ok'"],
		['#RefundPlease now', 'Refund Please now'],
		['#快递太慢# 三天了', '快递太慢 三天了'],
		['<script>alert(1)</script>hello', 'hello'],
		['', '']
	])('%s → %s', (raw, clean) => expect(cleanText(raw)).toBe(clean));

	it('bounds very long texts', () => {
		expect(cleanText('word '.repeat(50_000)).length).toBeLessThanOrEqual(MAX_SCORED_CHARS);
	});

	it('counts emoji polarity', () => {
		expect(emojiPolarity('great 👍😊')).toBe(2);
		expect(emojiPolarity('late again 😡👎')).toBe(-2);
		expect(emojiPolarity('ok 📦')).toBe(0);
	});
});

describe('language detection', () => {
	it.each([
		['Where is my parcel? It was due on Monday.', 'en'],
		['快递太慢了，三天还没到', 'zh'],
		['我的iPhone充电器坏了', 'zh'],
		['not bad', 'en'],
		['Produto chegou antes do prazo, ótimo vendedor e excelente qualidade', 'pt'],
		// Unaccented Latin-script text is not English for want of accents.
		['El producto llego tarde y la caja estaba rota', 'es'],
		['Le colis est arrive en retard et le service client ne repond pas', 'fr'],
		['Die Lieferung kam zu spat und der Artikel war kaputt', 'de'],
		['Gostei muito, chegou rapido', 'pt'],
		['Fee problem', 'en'],
		['ok thx', 'en'],
		['Отличный сервис, спасибо', 'ru'],
		['12345 !!!', ''],
		['', '']
	])('%s → %s', (text, lang) => expect(detectLanguage(text)).toBe(lang));
});

describe('tokenisation and negation', () => {
	it('marks English negation scope until punctuation', () => {
		expect(tokenizeEnglish("Not bad, but I don't like the app")).toEqual([
			'not',
			'!bad',
			',',
			'but',
			'i',
			'do',
			'not',
			'!like',
			'!the',
			'!app'
		]);
	});
	it('reads SST-2 style "does n\'t" as not', () => {
		expect(tokenizeEnglish("it does n't work")).toEqual(['it', 'does', 'not', '!work']);
	});
	it('segments Chinese with jieba and marks negation', () => {
		const t = tokenizeChinese('快递不是很快，客服态度好');
		expect(t).toContain('快递');
		expect(t).toContain('!很快');
		expect(t).toContain('客服');
		expect(t).not.toContain('!客服');
	});
	it('reads past a salutation opening a message, not a greeting alone', () => {
		const tokens = (t: string) => prepare(t, 'en').tokens;
		expect(tokens('Good morning. Checkout keeps failing')).toEqual(tokens('Checkout keeps failing'));
		expect(tokens('Hi team, my refund is late')).toEqual(tokens('my refund is late'));
		expect(tokens('Hello!!')).toContain('hello');
		expect(tokens('Hi')).toEqual(['hi']);
		// Not at the start: part of what is said.
		expect(tokens('Have a good morning everyone')).toContain('morning');
	});
	it('takes "#482913" for an order number, "#happy" for a hashtag', () => {
		expect(prepare('My order #482913 is late', 'en').tokens).not.toContain('§hash');
		expect(prepare('So #happy with the new phone', 'en').tokens).toContain('§hash');
	});
});

describe('sentiment', () => {
	it('is in −1..1 with a label', () => {
		const a = analyzeText('The delivery was fast and the staff were lovely');
		expect(a.sentiment).toBeGreaterThan(0.25);
		expect(a.label).toBe('positive');
		expect(labelOf(0)).toBe('neutral');
		expect(labelOf(-0.9)).toBe('negative');
	});
	it('handles negation in English', () => {
		expect(sentiment('not bad')).toBeGreaterThan(sentiment('bad'));
		expect(sentiment('not good at all')).toBeLessThan(0);
		expect(sentiment('This is good')).toBeGreaterThan(0);
	});
	it('handles negation in Chinese', () => {
		expect(sentiment('很好')).toBeGreaterThan(0);
		expect(sentiment('不是很好')).toBeLessThan(0);
		expect(sentiment('质量不好，非常失望')).toBeLessThan(-0.25);
		expect(sentiment('物流很快，质量很好，非常满意')).toBeGreaterThan(0.25);
	});
	it('ships models within the 25 MB budget, both English n-gram softmaxes in the stack', () => {
		const files = readdirSync(modelsDir());
		const bytes = files.reduce((a, f) => a + statSync(join(modelsDir(), f)).size, 0);
		expect(bytes).toBeLessThanOrEqual(25 * 1024 * 1024);
		const m = loadModels();
		expect(m.en3t?.classes).toEqual(['negative', 'neutral', 'positive']);
		// sentiment-en3 (3) and sentiment-en3t (3) logits, sentiment-en's logit, then the dense inputs.
		expect(m.stack!.softmax.inputs).toBe(7 + 2 * m.vectors!.dim + 5);
	});
	it('scores the English stack through folded word weights exactly as over the dense inputs', () => {
		const m = loadModels();
		const { stack } = m;
		const vectors = loadVectors(join(modelsDir(), 'sentiment-en-vectors'));
		for (const text of ['not good at all, never again', 'Love it!! 😍 thanks @acme', 'where is my parcel']) {
			const p = prepare(text, 'en');
			const x = [
				...logits(m.sentiment3.en!, fold(p.features, m.sentiment3.en!.bits)),
				...(m.en3t ? logits(m.en3t, fold(p.features, m.en3t.bits)) : []),
				logits(m.sentiment.en!, fold(p.features, m.sentiment.en!.bits))[0]!,
				...denseFeatures(vectors!, p.tokens)
			];
			const want = softmaxLogits(stack!.softmax, x).map((v, c) => v + stack!.offsets[c]!);
			const got = englishLogits(m, p.tokens, p.features, false)!;
			for (let c = 0; c < 3; c++) expect(got[c]).toBeCloseTo(want[c]!, 9);
		}
	});
	it('lets emoji move the score', () => {
		expect(sentiment('my order arrived 😍👍')).toBeGreaterThan(sentiment('my order arrived'));
		expect(sentiment('my order arrived 😡👎')).toBeLessThan(sentiment('my order arrived'));
	});
	it('scores mixed English/Chinese text as Chinese', () => {
		const a = analyzeText('iPhone充电器坏了，太失望了');
		expect(a.language).toBe('zh');
		expect(a.label).toBe('negative');
	});
	it('ignores HTML, and reads a link only as "has a link"', () => {
		const plain = analyzeText('Terrible service, my refund never came https://y.example/other');
		const html = analyzeText('<div><p>Terrible service, my refund never came</p> https://x.example/r?id=1</div>');
		expect(html.sentiment).toBe(plain.sentiment);
		expect(html.intent).toBe(plain.intent);
	});
	it('leaves empty and unsupported texts unscored', () => {
		expect(analyzeText('')).toMatchObject({ language: '', sentiment: null, label: '', intent: '' });
		expect(analyzeText('   ')).toMatchObject({ sentiment: null });
		expect(analyzeText('Produto chegou antes do prazo, ótimo vendedor e excelente qualidade')).toMatchObject({
			language: 'pt',
			sentiment: null,
			intent: ''
		});
	});
	it('scores very long texts within bounds', () => {
		const a = analyzeText('The courier was late again and nobody called me back. '.repeat(5000));
		expect(a.sentiment).not.toBeNull();
		expect(a.sentiment!).toBeGreaterThanOrEqual(-1);
		expect(a.sentiment!).toBeLessThan(0);
		expect(prepare('很差 '.repeat(20_000)).features.idx.length).toBeGreaterThan(0);
	});
});

describe('intent and scenario', () => {
	it.each([
		['I want to cancel my order', 'cancel_order', 'transaction'],
		['How do I get a refund for my purchase?', 'refund', 'after_sales'],
		['I forgot my password', 'login', 'after_sales'],
		['请帮我取消订单', 'cancel_order', 'transaction'],
		['退款什么时候到账', 'refund', 'after_sales'],
		['我要投诉你们的客服', 'complaint', 'complaint']
	])('%s → %s', (text, intent, scenario) => {
		expect(analyzeText(text)).toMatchObject({ intent, scenario });
	});
	it('leaves unrelated text unknown', () => {
		expect(analyzeText('what a lovely sunny afternoon in the park').intent).toBe('');
		expect(analyzeText('今天天气真好，我们去公园散步').intent).toBe('');
	});
});

describe('text enricher', () => {
	const base = InteractionSchema.parse({
		source: 's',
		source_id: '1',
		ts: '2025-01-01T00:00:00Z',
		channel: 'chat',
		text: 'Please cancel my order, I ordered the wrong size'
	});
	it('fills only empty fields and records which', () => {
		const r = structuredClone(base);
		enrichRecord(r, loadModels());
		expect(r).toMatchObject({ language: 'en', intent: 'cancel_order', scenario: 'transaction' });
		expect(r.sentiment).not.toBeNull();
		expect(r.attributes[ENRICHED_ATTRIBUTE]).toBe('language,sentiment,intent,scenario');
	});
	it("keeps a source's own sentiment and intent", () => {
		const r = { ...structuredClone(base), sentiment: 0.7, intent: 'billing' };
		enrichRecord(r, loadModels());
		expect(r.sentiment).toBe(0.7);
		expect(r.intent).toBe('billing');
		// The scenario follows the source's intent.
		expect(r.scenario).toBe('complaint');
		expect(r.attributes[ENRICHED_ATTRIBUTE]).toBe('language,scenario');
	});
	it('reads text from a complaint with the complaint context', () => {
		const complaint = { ...structuredClone(base), is_complaint: true };
		expect(isComplaint(complaint)).toBe(true);
		expect(isComplaint({ ...structuredClone(base), scenario: 'complaint' as const })).toBe(true);
		// A complaint scenario this enricher filled itself is no evidence.
		const ours = {
			...structuredClone(base),
			scenario: 'complaint' as const,
			attributes: { [ENRICHED_ATTRIBUTE]: 'scenario' }
		};
		expect(isComplaint(ours)).toBe(false);
		expect(isComplaint(base)).toBe(false);
		const models = loadModels();
		const text = 'Love the new plan, thanks';
		const r = { ...complaint, text };
		enrichRecord(r, models);
		expect(r.sentiment).toBe(analyzeText(text, models, undefined, { complaint: true }).sentiment);
		// The complaint prior never makes a text read more positive.
		expect(r.sentiment!).toBeLessThanOrEqual(analyzeText(text, models).sentiment!);
	});
	it('applies the complaint prior of the models to complaints only', () => {
		const models = loadModels();
		const strict = { ...models, stack: { ...models.stack!, complaintPrior: [0, 0, -20] } };
		const text = 'Love the new plan, thanks';
		expect(analyzeText(text, strict).label).toBe('positive');
		expect(analyzeText(text, strict, undefined, { complaint: true }).label).not.toBe('positive');
	});
	it('reads a complaint about lateness as no praise with the committed prior', () => {
		const models = loadModels();
		// Learnt on complaint texts: in a complaint, positive is far rarer; negative is left as it is,
		// so a plain question in a complaint queue stays neutral.
		const [neg, neu, pos] = models.stack!.complaintPrior;
		expect(pos!).toBeLessThan(neu! - 0.5);
		expect(neg!).toBe(neu!);
		expect(models.zh3!.complaintPrior).toEqual(models.stack!.complaintPrior);
		for (const text of [
			'You promised delivery by Black Friday and it is 9 days late.',
			'Hi. My order #482913 is 6 days late and tracking has not moved.'
		])
			expect(analyzeText(text, models, undefined, { complaint: true }).label).not.toBe('positive');
	});
	it('leaves records without text alone', () => {
		const r = { ...structuredClone(base), text: '' };
		enrichRecord(r, loadModels());
		expect(r).toMatchObject({ language: '', sentiment: null, intent: '', attributes: {} });
	});
});

describe('text worker pool', () => {
	it('analyses a batch of long different texts on a worker within its heap limit, as one thread does', async () => {
		const saved = process.env.TOUCHMAP_TEXT_WORKERS;
		process.env.TOUCHMAP_TEXT_WORKERS = '2';
		try {
			// Long distinct texts (4,000 words each): the worker keeps working within its heap limit.
			const words = ['refund', 'late', 'great', 'broken', 'thanks', 'never', 'again', 'fast', 'rude', 'helpful'];
			const texts = Array.from({ length: 400 }, (_, i) =>
				Array.from({ length: 4000 }, (_, j) => words[(i * 7 + j * ((i % 5) + 1)) % words.length]).join(' ')
			);
			const pooled = await analyzeBatch(texts.map((text) => ({ text })));
			// A worker that died (out of heap) would leave the batch to this thread: same answers, one thread.
			expect(textThreadsInUse()).toBe(2);
			const models = loadModels();
			expect(pooled).toEqual(texts.map((t) => analyzeText(t, models)));
		} finally {
			if (saved === undefined) delete process.env.TOUCHMAP_TEXT_WORKERS;
			else process.env.TOUCHMAP_TEXT_WORKERS = saved;
			await closeTextPool();
		}
	}, 120_000);
});

describe('salient terms', () => {
	const docs = (texts: string[], language = 'en') => texts.map((text) => ({ text, language }));
	it('finds phrases over-represented in the target, in both languages', () => {
		const target = docs([
			'My parcel is late and tracking has not moved',
			'Parcel late again, tracking not updated',
			'Where is my parcel? Tracking shows nothing',
			'The courier never came, parcel late'
		]);
		const background = docs([
			'I forgot my password',
			'Cannot log in, password reset email missing',
			'Please cancel my order',
			'Refund still not received',
			'The app keeps crashing'
		]);
		const terms = salientTerms(target, background, 5).map((t) => t.term);
		expect(terms).toContain('parcel late');
		expect(terms.some((t) => t.includes('tracking'))).toBe(true);
		expect(terms).not.toContain('password');
		const zh = salientTerms(
			docs(['快递太慢了，三天没到', '快递太慢，物流不更新', '物流一直不更新，快递太慢'], 'zh'),
			docs(['密码忘记了', '退款还没到账', '我要取消订单'], 'zh'),
			5
		).map((t) => t.term);
		expect(zh.some((t) => t.includes('快递'))).toBe(true);
		expect(zh.some((t) => t.includes('物流'))).toBe(true);
	});
	it('returns nothing for empty input and respects the limit', () => {
		expect(salientTerms([], [])).toEqual([]);
		expect(salientTerms(docs(['', '']), [])).toEqual([]);
		const many = docs(Array.from({ length: 30 }, (_, i) => `alpha${i} beta${i} gamma${i} delta${i}`));
		expect(salientTerms(many, [], 3).length).toBeLessThanOrEqual(3);
	});
	it('detects the language of docs given as unknown', () => {
		const t = salientTerms(docs(['退款太慢了', '退款太慢', '退款一直没到'], ''), docs(['订单取消了'], ''), 3);
		expect(t.map((x) => x.term).join(' ')).toMatch(/退款/);
	});
});
