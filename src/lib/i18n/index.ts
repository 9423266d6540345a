/**
 * Why this exists: UI text in English and Simplified Chinese through svelte-i18n. (Paraglide was
 * the first choice; its compiler fetches its message-format plugin from a CDN, which cannot work
 * on machines without internet, so we use svelte-i18n's runtime dictionaries instead.)
 * The chosen language is kept in a cookie so server rendering and the browser agree.
 */
import { addMessages, init, locale } from 'svelte-i18n';
import { derived } from 'svelte/store';

// One dictionary pair per area: `en.json` / `zh-CN.json` for the shell and overview, and
// `<area>.en.json` / `<area>.zh-CN.json` beside them for each further page, so areas add text
// without touching each other's files.
const dictionaries = import.meta.glob<Record<string, string>>('./*.json', { eager: true, import: 'default' });

export const LOCALES = [
	{ code: 'en', label: 'English' },
	{ code: 'zh-CN', label: '简体中文' }
] as const;
export type Locale = (typeof LOCALES)[number]['code'];
export const LOCALE_COOKIE = 'touchmap_lang';

export function isLocale(v: unknown): v is Locale {
	return LOCALES.some((l) => l.code === v);
}

for (const [path, messages] of Object.entries(dictionaries)) {
	const code = path.replace(/^.*?([a-zA-Z-]+)\.json$/, '$1');
	if (isLocale(code)) addMessages(code, messages);
}

/** The reader's language for Intl number and date formats: 'en' until one is set. */
export const lang = derived(locale, (l) => l ?? 'en');

export function setupI18n(initial: Locale): void {
	init({ fallbackLocale: 'en', initialLocale: initial });
}
