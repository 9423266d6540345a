/**
 * Why this exists: values that come from the data — intents, regions, segments — shown in the
 * reader's language when the dictionary (domain.<lang>.json) knows them, else as stored (an
 * intent key's underscores read as spaces), so a source's own values still show.
 */
import { _ } from 'svelte-i18n';
import { derived } from 'svelte/store';

export type DomainKind = 'intent' | 'region' | 'segment' | 'touchpoint' | 'outcome' | 'status';

/** Touchpoints share the journey map's dictionary, so a touchpoint reads the same on every page. */
const keyOf = (kind: DomainKind, v: string) => (kind === 'touchpoint' ? `journey.tp.${v}` : `domain.${kind}.${v}`);

export const domainLabel = derived(
	_,
	(t) =>
		(kind: DomainKind, v: string): string =>
			v ? t(keyOf(kind, v), { default: kind === 'intent' ? v.replace(/_/g, ' ') : v }) : v
);
