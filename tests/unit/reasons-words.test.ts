/**
 * The single-pass English word reader that reason assignment uses must give exactly the words the
 * general tokenizer path gives (discovery and stored models were built on those): edge cases of
 * contractions, apostrophes, masks, digits and punctuation, then every English text of the public
 * sets when ../shared/datasets is present. Assignment reads English through it straight into the
 * model's terms, and must give the reason (and score) the word lists give.
 */
import { describe, expect, it } from 'vitest';
import {
	bitextIntents,
	cfpbPersonalLoans,
	cfpbSample,
	tweetEvalTexts,
	twcsCustomerTweets
} from '../../ingest/enrichment/reasons/datasets';
import { englishWordsByTokens, readPart, textWords } from '../../ingest/enrichment/reasons/features';
import { assignReason, assignText, assignWords } from '../../ingest/enrichment/reasons/assign';
import { discoverReasons } from '../../ingest/enrichment/reasons/discover';
import { EN_NEW_TOPIC, EN_TOPICS, plantedTexts } from '../fixtures/reason-topics';
import { datasetsDir } from '../../ingest/enrichment/text/datasets';

const fast = (t: string) => {
	const w = textWords(t, 'en', 1e9);
	return { stems: w.stems, surfaces: w.surfaces };
};

describe('English words for reasons', () => {
	it.each([
		"I can't log in and won't pay the fees, don't charge me!",
		"scan't won'tx didn'tx n't  do n't ca n't x'y n'ts rock'n'roll o'clock 'quoted' it's",
		'XX/XX/XXXX {$1000.00} xxxx 12345 a1 1a2 ab12345 x1 b',
		'Refunds... charges;;; boxes: addresses? companies! caps, buses',
		'İstanbul KELVIN café naïve über – “smart quotes” ‘apostrophe’ `tick`',
		'Not not NOT never nothing. Without: hardly barely cannot',
		'',
		'...',
		'word'
	])('matches the tokenizer path on %j', (t) => {
		const got = fast(t);
		expect(got).toEqual(englishWordsByTokens(readPart(t, 1e9)));
		expect(got.stems.length).toBe(got.surfaces.length);
	});

	it('reads contractions and masks as the models do', () => {
		expect(fast("We can't see the caps. XXXX charges").stems).toEqual(['see', 'cap', '', 'charge']);
	});

	const sets = [
		cfpbSample()?.texts,
		cfpbPersonalLoans()?.texts,
		bitextIntents()?.texts,
		twcsCustomerTweets(),
		tweetEvalTexts()
	];
	const texts = sets.flatMap((s) => s ?? []);
	it.skipIf(texts.length === 0)(
		`matches it on every English text of the public sets (needs the data sets under ${datasetsDir()})`,
		() => {
			let differ = 0;
			let first = '';
			for (const t of texts) {
				const a = fast(t);
				const b = englishWordsByTokens(readPart(t, 1e9));
				if (
					a.stems.join('\u0001') !== b.stems.join('\u0001') ||
					a.surfaces.join('\u0001') !== b.surfaces.join('\u0001')
				) {
					differ++;
					first ||= t;
				}
			}
			expect(texts.length).toBeGreaterThan(10_000);
			expect({ differ, first }).toEqual({ differ: 0, first: '' });
		}
	);
});

describe('English assignment without word lists', () => {
	const same = (texts: string[], model: ReturnType<typeof discoverReasons>) => {
		let differ = 0;
		let first = '';
		for (const t of texts) {
			const fast = assignText(model, t, 'en');
			const words = textWords(t, 'en', model.settings.maxChars);
			const slow = assignWords(model, words);
			const content = words.stems.filter(Boolean).length;
			if (
				fast.reasonId !== slow.reasonId ||
				Math.abs(fast.score - slow.score) > 1e-12 ||
				fast.contentWords !== content
			) {
				differ++;
				first ||= t;
			}
		}
		return { differ, first };
	};

	it('gives the reason, score and word count the word lists give', () => {
		const { texts } = plantedTexts(EN_TOPICS, 'en', 40);
		const model = discoverReasons(texts, { now: new Date('2025-01-01T00:00:00Z') });
		const probe = [...texts, ...plantedTexts(EN_NEW_TOPIC, 'en', 20).texts, '', 'hello', "the courier can't find it"];
		const got = probe.map((t) => assignReason(model, t, 'en').reasonId);
		expect(new Set(got).size).toBeGreaterThan(3);
		expect(same(probe, model)).toEqual({ differ: 0, first: '' });
	});

	const cfpb = cfpbSample()?.texts ?? [];
	it.skipIf(cfpb.length === 0)(
		`gives them on CFPB narratives with a model discovered on them (needs the data sets under ${datasetsDir()})`,
		() => {
			const model = discoverReasons(cfpb.slice(0, 3000), { now: new Date('2025-01-01T00:00:00Z') });
			expect(same(cfpb, model)).toEqual({ differ: 0, first: '' });
		},
		120_000
	);
});
