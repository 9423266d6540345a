import { waitLocale } from 'svelte-i18n';
import { setupI18n } from '$lib/i18n';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ data }) => {
	setupI18n(data.lang);
	await waitLocale();
	return data;
};
