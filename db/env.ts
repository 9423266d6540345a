/**
 * Why this exists: every process (server, ingest CLI, bench, tests) reads its configuration
 * here, once, through zod, so a bad value stops start-up with a message that names the variable
 * instead of surfacing later as a confusing ClickHouse or network error.
 *
 * Imported by code that runs outside SvelteKit (tsx CLIs), so it reads `process.env`
 * directly rather than `$env/dynamic/private`.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const flag = z
	.enum(['0', '1', 'true', 'false', 'yes', 'no'])
	.transform((v) => v === '1' || v === 'true' || v === 'yes');

export const EnvSchema = z.object({
	TOUCHMAP_DATA_DIR: z
		.string()
		.min(1)
		.default('./data')
		.meta({ description: 'Directory of the embedded ClickHouse database (chdb).' }),
	TOUCHMAP_DEMO: flag.default(true).meta({ description: 'Load demo data when the database is empty.' }),
	TOUCHMAP_ANSWER_CACHE: flag.default(true).meta({
		description: 'Keep dashboard answers per data version, settings and input (kept.ts).'
	}),
	TOUCHMAP_FORECAST_WARM: flag.default(true).meta({
		description: "Fit the trends page's weekly forecasts in the background once per data version."
	}),
	TOUCHMAP_REASONS_HOURS: z.coerce
		.number()
		.min(0)
		.max(24 * 90)
		.default(24)
		.meta({
			description: 'Hours between contact-reason discoveries by the ingest service (0: never on a schedule).'
		}),
	TOUCHMAP_DEMO_CUSTOMERS: z.coerce.number().int().min(10).max(5_000_000).default(20_000),
	TOUCHMAP_DEMO_SEED: z.coerce.number().int().default(42),
	TOUCHMAP_AUTH: z
		.enum(['on', 'off'])
		.default('on')
		.meta({ description: "Sign-in and roles; 'off' is for local demos only and every page says so." }),
	TOUCHMAP_ADMIN_EMAIL: z.email().default('admin@touchmap.local'),
	TOUCHMAP_ADMIN_PASSWORD: z
		.string()
		.min(10, 'must be at least 10 characters')
		.optional()
		.meta({ description: 'Password of the first admin, created on first start (else a random one is printed once).' }),
	TOUCHMAP_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
	TOUCHMAP_SECURE_COOKIES: z.enum(['auto', 'always', 'never']).default('auto').meta({
		description: "Secure cookie flag: 'auto' sets it when ORIGIN (or PROTOCOL_HEADER) says the site is on HTTPS."
	}),
	TOUCHMAP_API_RATE: z.coerce.number().int().min(1).max(100_000).default(50).meta({
		description:
			'API calls per second per signed-in user, or per client address without a session (bursts up to 10× that; a batch counts as its calls).'
	}),
	TOUCHMAP_QUERY_SECONDS: z.coerce
		.number()
		.min(1)
		.max(3600)
		.default(30)
		.meta({ description: 'Time an API request may spend in the database before it is stopped with a 422.' }),
	TOUCHMAP_QUERY_MEMORY_MB: z.coerce
		.number()
		.int()
		.min(64)
		.max(1_000_000)
		.default(2048)
		.meta({ description: "Memory one API request's database query may use (MB) before it is stopped with a 422." }),
	TOUCHMAP_QUERY_SLOTS: z.coerce
		.number()
		.int()
		.min(1)
		.max(256)
		.default(4)
		.meta({ description: 'API queries the database runs at once; one user holds at most all but one of them.' }),
	TOUCHMAP_QUERY_WAIT_SECONDS: z.coerce.number().min(0.1).max(3600).default(8).meta({
		description: 'Longest an API query waits for a free slot before the request is refused with 503 (busy; try again).'
	}),
	TOUCHMAP_METRICS_TOKEN: z
		.string()
		.min(16, 'must be at least 16 characters')
		.optional()
		.meta({ description: 'Bearer token that lets a Prometheus scraper read /ingest/metrics without signing in.' }),
	TOUCHMAP_OIDC_ISSUER: z
		.url()
		.optional()
		.meta({ description: 'OpenID Connect provider (issuer URL); enables "Sign in with …" on the login page.' }),
	TOUCHMAP_OIDC_CLIENT_ID: z.string().optional(),
	TOUCHMAP_OIDC_CLIENT_SECRET: z.string().optional(),
	TOUCHMAP_OIDC_NAME: z.string().max(40).default('single sign-on'),
	TOUCHMAP_OIDC_DEFAULT_ROLE: z
		.enum(['admin', 'strategist', 'executive', 'product'])
		.optional()
		.meta({ description: 'Role for a first OIDC sign-in without an account; unset: only existing users may sign in.' }),
	TOUCHMAP_OIDC_ROLE_CLAIM: z
		.string()
		.optional()
		.meta({ description: 'ID-token claim naming the role (a string or list containing one of the role names).' }),
	CLICKHOUSE_URL: z
		.url({ protocol: /^https?$/ })
		.optional()
		.meta({ description: 'ClickHouse server URL; when unset the embedded engine is used.' }),
	CLICKHOUSE_USER: z.string().default('default'),
	CLICKHOUSE_PASSWORD: z.string().default(''),
	CLICKHOUSE_DATABASE: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)')
		.default('touchmap'),
	CLICKHOUSE_CLUSTER: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be a plain cluster name')
		.optional()
});
export type Env = z.infer<typeof EnvSchema>;

/** Thrown for a bad environment; the message is meant for a person at a terminal. */
export class ConfigError extends Error {}

let cached: Env | undefined;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
	const parsed = EnvSchema.safeParse(
		Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
	);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
	}
	return parsed.data;
}

/** The process-wide configuration (parsed on first use). */
export function env(): Env {
	cached ??= readEnv();
	return cached;
}

export function dataDir(e: Env = env()): string {
	return resolve(e.TOUCHMAP_DATA_DIR);
}
