/**
 * Why this exists: values that come from the data — intents, regions, segments — shown in the
 * reader's language when the dictionary (domain.<lang>.json) knows them, else as stored (an
 * intent key's underscores read as spaces), so a source's own values still show.
 */
import { _ } from 'svelte-i18n';
import { derived } from 'svelte/store';

export type DomainKind = 'intent' | 'region' | 'segment';

export const domainLabel = derived(
	_,
	(t) =>
		(kind: DomainKind, v: string): string =>
			v ? t(`domain.${kind}.${v}`, { default: kind === 'intent' ? v.replace(/_/g, ' ') : v }) : v
);
