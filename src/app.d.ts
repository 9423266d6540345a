// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			lang: import('$lib/i18n').Locale;
			/** The signed-in user, or null. */
			user: import('$lib/server/queries/auth/sessions').SessionUser | null;
			/** false with TOUCHMAP_AUTH=off. */
			authEnforced: boolean;
			sessionToken: string | undefined;
		}
	}
}

export {};
