/**
 * The rules page edits rules and intents as plain text fields (comma-separated lists, one attribute
 * condition or example phrase per line); these turn a stored document into such drafts and back.
 * What the server then refuses (an empty name, a rule without a condition) comes back as its message.
 */
import type { SCENARIOS } from '$schemas/entities';

type Scenario = (typeof SCENARIOS)[number];

export interface Rule {
	name: string;
	when: {
		source?: string[];
		channel?: string[];
		intent?: string[];
		attributes?: Record<string, string[]>;
		keywords?: string[];
	};
	set: { stage: string; touchpoint: string; scenario?: Scenario; intent?: string };
}
export interface Intent {
	name: string;
	scenario: Scenario;
	keywords: string[];
	phrases: string[];
}

export interface RuleDraft {
	key: number;
	name: string;
	keywords: string;
	channel: string;
	source: string;
	intent: string;
	/** One `key = value, value` per line. */
	attributes: string;
	stage: string;
	touchpoint: string;
	scenario: Scenario | '';
	setIntent: string;
}
export interface IntentDraft {
	key: number;
	name: string;
	scenario: Scenario;
	keywords: string;
	/** One example phrase per line. */
	phrases: string;
}

let next = 0;
const join = (xs?: string[]) => (xs ?? []).join(', ');
/** A comma-separated list (English or Chinese commas), blanks dropped. */
export const splitList = (s: string) =>
	s
		.split(/[,，、]/)
		.map((x) => x.trim())
		.filter(Boolean);
const lines = (s: string) =>
	s
		.split('\n')
		.map((x) => x.trim())
		.filter(Boolean);

export function ruleDraft(r?: Rule): RuleDraft {
	return {
		key: next++,
		name: r?.name ?? '',
		keywords: join(r?.when.keywords),
		channel: join(r?.when.channel),
		source: join(r?.when.source),
		intent: join(r?.when.intent),
		attributes: Object.entries(r?.when.attributes ?? {})
			.map(([k, v]) => `${k} = ${v.join(', ')}`)
			.join('\n'),
		stage: r?.set.stage ?? 'after_sales',
		touchpoint: r?.set.touchpoint ?? '',
		scenario: r?.set.scenario ?? '',
		setIntent: r?.set.intent ?? ''
	};
}

export function ruleOf(d: RuleDraft): Rule {
	const when: Rule['when'] = {};
	for (const k of ['source', 'channel', 'intent', 'keywords'] as const) {
		const xs = splitList(d[k]);
		if (xs.length) when[k] = xs;
	}
	const attributes: Record<string, string[]> = {};
	for (const line of lines(d.attributes)) {
		const at = line.indexOf('=');
		const key = (at < 0 ? line : line.slice(0, at)).trim();
		if (key) attributes[key] = splitList(at < 0 ? '' : line.slice(at + 1));
	}
	if (Object.keys(attributes).length) when.attributes = attributes;
	return {
		name: d.name,
		when,
		set: {
			stage: d.stage,
			touchpoint: d.touchpoint,
			...(d.scenario ? { scenario: d.scenario } : {}),
			...(d.setIntent.trim() ? { intent: d.setIntent.trim() } : {})
		}
	};
}

export function intentDraft(i?: Intent): IntentDraft {
	return {
		key: next++,
		name: i?.name ?? '',
		scenario: i?.scenario ?? 'inquiry',
		keywords: join(i?.keywords),
		phrases: (i?.phrases ?? []).join('\n')
	};
}

export function intentOf(d: IntentDraft): Intent {
	return { name: d.name, scenario: d.scenario, keywords: splitList(d.keywords), phrases: lines(d.phrases) };
}
