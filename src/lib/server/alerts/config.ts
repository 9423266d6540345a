/**
 * Why this exists: where alerts are sent from and with what secrets. They come from the environment
 * (zod-checked when first used), never from the database or the UI, so no page or API answer can
 * show them back.
 */
import { z } from 'zod';

const ConfigSchema = z.object({
	TOUCHMAP_SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
		.optional()
		.meta({ description: 'smtp://user:password@host:port (smtps:// for TLS from the start).' }),
	TOUCHMAP_ALERTS_FROM: z.string().max(200).default('Touchmap <touchmap@localhost>'),
	TOUCHMAP_ALERTS_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
	TOUCHMAP_PUBLIC_URL: z.url().default('http://localhost:3000'),
	/** Minutes between evaluations by the server's background job (0: only after ingest runs and on demand). */
	TOUCHMAP_ALERTS_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
	/** First retry delay; each further retry waits four times longer (capped at six hours). */
	TOUCHMAP_ALERTS_RETRY_SECONDS: z.coerce.number().min(0.01).max(3600).default(60),
	TOUCHMAP_ALERTS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
	TOUCHMAP_DIGEST_DAY: z.coerce.number().int().min(0).max(6).default(1).meta({ description: '0 Sunday … 6 Saturday.' }),
	TOUCHMAP_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8)
});
export type AlertsConfig = z.infer<typeof ConfigSchema>;

export function alertsConfig(source: NodeJS.ProcessEnv = process.env): AlertsConfig {
	const parsed = ConfigSchema.safeParse(source);
	if (!parsed.success)
		throw new Error(
			`alerts configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
		);
	return parsed.data;
}
