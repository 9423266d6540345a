// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			lang: import('$lib/i18n').Locale;
		}
	}
}

export {};
