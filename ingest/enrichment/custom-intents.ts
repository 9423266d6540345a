/**
 * Why this exists: the built-in intents are written for e-commerce; a bank or a telecom needs its own
 * ("data cap", "pension transfer"). A deployment adds intents of its own under the settings key
 * `text.intents`: a name, the scenario it belongs to, and keywords (case-insensitive substrings,
 * as the journey rules read them) or example phrases (every word of the phrase occurs in the text,
 * in any order). Where the text enricher fills an intent, the first custom intent that matches wins
 * over the model's class: it was written for this deployment's words. A source's own intent is
 * never replaced.
 */
import { z } from 'zod';
import { SCENARIOS, type Scenario } from '../../schemas/entities';
import { readStoredSetting } from './stored-setting';
import type { EnrichContext } from './types';
import { INTENTS } from './text/intents-data';
import { isPunctuation, tokenize, unmarked } from './text/tokenize';

const words = z.array(z.string().trim().min(1).max(200)).max(200);

export const CustomIntentSchema = z
	.strictObject({
		name: z
			.string()
			.trim()
			.min(1, 'an intent needs a name')
			.max(64)
			.regex(/^[^,]+$/, 'an intent name cannot contain a comma')
			.refine((n) => !(INTENTS as string[]).includes(n) && n !== 'other', {
				message: 'that name is a built-in intent'
			}),
		scenario: z.enum(SCENARIOS),
		keywords: words.default([]),
		phrases: words.default([])
	})
	.refine((i) => i.keywords.length + i.phrases.length > 0, {
		message: 'an intent needs at least one keyword or example phrase'
	})
	.meta({ description: 'An intent of this deployment, added to the built-in ones.' });
export type CustomIntent = z.infer<typeof CustomIntentSchema>;

export const CustomIntentsSchema = z
	.strictObject({ version: z.literal(1), intents: z.array(CustomIntentSchema).max(200) })
	.refine((d) => new Set(d.intents.map((i) => i.name.toLowerCase())).size === d.intents.length, {
		message: 'two intents have the same name'
	});
export type CustomIntents = z.infer<typeof CustomIntentsSchema>;

export const CUSTOM_INTENTS_KEY = 'text.intents';
export const NO_CUSTOM_INTENTS: CustomIntents = { version: 1, intents: [] };

interface Compiled {
	name: string;
	scenario: Scenario;
	keywords: string[];
	/** Each phrase's words (lower-cased), by the language they were split in. */
	phrases: { en: string[]; zh: string[] }[];
}
export type CompiledIntents = Compiled[];

const phraseWords = (p: string, language: string) =>
	tokenize(p, language)
		.filter((t) => !isPunctuation(t))
		.map(unmarked);

export function compileIntents(doc: CustomIntents): CompiledIntents {
	return doc.intents.map((i) => ({
		name: i.name,
		scenario: i.scenario,
		keywords: i.keywords.map((k) => k.toLowerCase()),
		phrases: i.phrases.map((p) => ({ en: phraseWords(p, 'en'), zh: phraseWords(p, 'zh') }))
	}));
}

/** The first custom intent a text matches (`language`: the text's, 'zh' splits Chinese), or undefined. */
export function matchIntent(c: CompiledIntents, text: string, language: string): Compiled | undefined {
	if (!c.length || !text) return undefined;
	const lower = text.toLowerCase();
	let tokens: Set<string> | undefined;
	for (const x of c) {
		if (x.keywords.some((k) => lower.includes(k))) return x;
		for (const p of x.phrases) {
			// Chinese is written without spaces: a phrase word is found as a substring.
			if (language === 'zh') {
				if (p.zh.length && p.zh.every((w) => lower.includes(w))) return x;
				continue;
			}
			tokens ??= new Set(tokenize(text, 'en').map(unmarked));
			if (p.en.length && p.en.every((w) => tokens!.has(w))) return x;
		}
	}
	return undefined;
}

/** The custom intents in force (none when nothing valid is stored). */
export function loadCustomIntents(ctx: Pick<EnrichContext, 'db'>): Promise<CustomIntents> {
	return readStoredSetting(ctx, CUSTOM_INTENTS_KEY, CustomIntentsSchema, NO_CUSTOM_INTENTS, 'no custom intents');
}
