/**
 * Why this exists: every interaction needs a lifecycle stage and touchpoint for the journey map,
 * but many sources do not say (a social post without a hashtag, a webhook without a queue). This
 * enricher applies explicit, ordered rules — source, channel, intent, attribute values (queue,
 * category, …) and keywords in the text → stage, touchpoint, scenario, intent — and fills only
 * what the mapping left empty, so a source's own values always win.
 *
 * The defaults live in `journey-rules.json` beside this file (committed, reviewed like code). A
 * deployment can override them by storing a rules document under the settings key
 * `journey.rules` (same schema); a stored document that does not validate is ignored with a
 * warning and the defaults apply. The first rule whose every condition holds wins; a record no
 * rule matches keeps an empty stage and is counted as "unassigned" on the journey map — it is
 * never dropped.
 */
import { z } from 'zod';
import type { Interaction } from '../../schemas/entities';
import type { Enricher, EnrichContext } from './types';
import defaults from './journey-rules.json';
import { readStoredSetting } from './stored-setting';
import { markFilled } from './text-enricher';

const list = z.array(z.string().trim().min(1).max(200)).min(1).max(500);

export const JourneyRuleSchema = z
	.object({
		name: z.string().trim().min(1).max(200),
		when: z
			.strictObject({
				source: list.optional().meta({ description: 'Mapping names (sources) the rule applies to.' }),
				channel: list.optional(),
				intent: list.optional(),
				attributes: z
					.record(z.string().min(1).max(100), list)
					.optional()
					.meta({ description: 'Attribute key → accepted values; any listed key holding one of its values matches.' }),
				keywords: list
					.optional()
					.meta({ description: 'Case-insensitive substrings; any one found in the text matches.' })
			})
			.refine((w) => Object.keys(w).length > 0, { message: 'a rule needs at least one condition' }),
		set: z.strictObject({
			stage: z.string().trim().min(1).max(64),
			touchpoint: z.string().trim().min(1).max(128),
			scenario: z.enum(['transaction', 'after_sales', 'complaint', 'inquiry']).optional(),
			intent: z.string().trim().min(1).max(128).optional()
		})
	})
	.meta({ description: 'One stage/touchpoint rule: all conditions must hold.' });
export type JourneyRule = z.infer<typeof JourneyRuleSchema>;

export const JourneyRulesSchema = z.object({
	version: z.literal(1),
	description: z.string().optional(),
	rules: z.array(JourneyRuleSchema).max(1000)
});
export type JourneyRules = z.infer<typeof JourneyRulesSchema>;

export const JOURNEY_RULES_KEY = 'journey.rules';
export const DEFAULT_JOURNEY_RULES: JourneyRules = JourneyRulesSchema.parse(defaults);

interface Compiled {
	rule: JourneyRule;
	source?: Set<string>;
	channel?: Set<string>;
	intent?: Set<string>;
	attributes?: [string, Set<string>][];
	keywords?: string[];
}

const lowerSet = (xs?: string[]) => (xs ? new Set(xs.map((x) => x.toLowerCase())) : undefined);

export function compileRules(rules: JourneyRules): Compiled[] {
	return rules.rules.map((rule) => ({
		rule,
		source: lowerSet(rule.when.source),
		channel: lowerSet(rule.when.channel),
		intent: lowerSet(rule.when.intent),
		attributes: rule.when.attributes
			? Object.entries(rule.when.attributes).map(([k, v]) => [k, lowerSet(v)!] as [string, Set<string>])
			: undefined,
		keywords: rule.when.keywords?.map((k) => k.toLowerCase())
	}));
}

/** The first matching rule for a record, or undefined. `lowerText` is the record's text lower-cased. */
export function matchRule(c: Compiled[], r: Interaction, source: string, lowerText: string): JourneyRule | undefined {
	for (const x of c) {
		if (x.source && !x.source.has(source.toLowerCase()) && !x.source.has(r.source.toLowerCase())) continue;
		if (x.channel && !x.channel.has(r.channel)) continue;
		if (x.intent && !x.intent.has(r.intent.toLowerCase())) continue;
		if (x.attributes && !x.attributes.some(([k, v]) => v.has((r.attributes[k] ?? '').toLowerCase()))) continue;
		if (x.keywords && !x.keywords.some((k) => lowerText.includes(k))) continue;
		return x.rule;
	}
	return undefined;
}

/** Fills stage/touchpoint (and scenario/intent when empty) of records the mapping left unassigned. */
export function applyRules(records: Interaction[], compiled: Compiled[], source: string): number {
	let assigned = 0;
	for (const r of records) {
		if (r.stage && r.touchpoint) continue;
		const rule = matchRule(compiled, r, source, r.text.toLowerCase());
		if (!rule) continue;
		// TRICKY: a record with a stage but no touchpoint keeps its stage; the rule fills the touchpoint
		// only when it agrees on the stage, so a mapping's stage is never contradicted.
		if (r.stage && r.stage !== rule.set.stage) continue;
		// What the rule filled is recorded beside what the text models filled, so re-applying the
		// rules (npm run enrich, the rules page) replaces exactly that and never a source's values.
		const filled: string[] = [];
		if (!r.stage) filled.push('stage');
		if (!r.touchpoint) filled.push('touchpoint');
		r.stage = rule.set.stage;
		r.touchpoint = r.touchpoint || rule.set.touchpoint;
		if (!r.scenario && rule.set.scenario) {
			r.scenario = rule.set.scenario;
			filled.push('scenario');
		}
		if (!r.intent && rule.set.intent) {
			r.intent = rule.set.intent;
			filled.push('intent');
		}
		markFilled(r, filled);
		assigned++;
	}
	return assigned;
}

/** The rules in force: a valid stored override, else the committed defaults. */
export function loadJourneyRules(ctx: Pick<EnrichContext, 'db'>): Promise<JourneyRules> {
	return readStoredSetting(
		ctx,
		JOURNEY_RULES_KEY,
		JourneyRulesSchema,
		DEFAULT_JOURNEY_RULES,
		'the default journey rules'
	);
}

let compiled: Compiled[] = compileRules(DEFAULT_JOURNEY_RULES);

export const journeyRulesEnricher: Enricher = {
	name: 'journey-rules',
	async prepare(ctx) {
		compiled = compileRules(await loadJourneyRules(ctx));
	},
	enrich(records, ctx) {
		applyRules(records, compiled, ctx.source);
	}
};
