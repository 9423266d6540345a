/**
 * Why this exists: inputs and outputs of the journey and pain-point endpoints, shared by the tRPC
 * routers (input validation), the query modules (row checks) and the pages (types). Every list is
 * bounded and every dimension allow-listed, so a request can neither run away nor inject SQL.
 */
import { z } from 'zod';
import { ChannelSchema, ScenarioSchema } from './entities';
import { dateRange, day, num, numOrNull } from './fields';
import type { KpiId } from './metrics';

const label = z.string().trim().min(1).max(128);

export const VALUE_SEGMENTS = ['all', 'high', 'other'] as const;
export const ValueSegmentSchema = z
	.enum(VALUE_SEGMENTS)
	.meta({ description: 'all customers, high-value customers only, or the others.' });

export const JourneyFilterSchema = dateRange(
	z.object({
		from: day(),
		to: day(),
		segment: ValueSegmentSchema.default('all'),
		channels: z.array(ChannelSchema).max(20).optional(),
		regions: z.array(label).max(50).optional(),
		scenarios: z.array(ScenarioSchema).max(4).optional(),
		intents: z.array(label).max(100).optional(),
		reasons: z
			.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a reason id'))
			.max(100)
			.optional()
			.meta({ description: 'Contact reason ids (reasons.list); a reason includes the ids merged into it.' })
	}),
	5
).meta({ description: 'Date range and optional segment / channel / region / scenario / intent / reason filter.' });
export type JourneyFilter = z.infer<typeof JourneyFilterSchema>;
export type JourneyFilterInput = z.input<typeof JourneyFilterSchema>;

export const SEVERITIES = ['red', 'yellow', 'blue', 'none'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const FACTORS = ['complaint', 'lowCsat', 'negSentiment', 'unresolved', 'repeat'] as const;
export const FactorSchema = z.enum(FACTORS);
export type Factor = z.infer<typeof FactorSchema>;

/** Each badness factor is the rate of a KPI ($schemas/metrics); its sample is the KPI's denominator. */
export const FACTOR_KPI = {
	complaint: 'complaintRate',
	lowCsat: 'lowCsatRate',
	negSentiment: 'negSentimentRate',
	unresolved: 'unresolvedRate',
	repeat: 'repeatRate'
} as const satisfies Record<Factor, KpiId>;

/** One map cell's measures (channel '' = all channels of the touchpoint; touchpoint '' = the stage). */
export const CellMetricsSchema = z.object({
	stage: z.string(),
	touchpoint: z.string(),
	channel: z.string(),
	interactions: num,
	customers: num,
	hvInteractions: num.meta({ description: 'Contacts from high-value customers.' }),
	complaints: num,
	csat: numOrNull.meta({ description: 'Mean CSAT 0–10.' }),
	sentiment: numOrNull.meta({ description: 'Mean sentiment −1..1.' }),
	fcr: numOrNull,
	avgHandleSeconds: numOrNull,
	rates: z.record(FactorSchema, numOrNull),
	samples: z.record(FactorSchema, num)
});
export type CellMetrics = z.infer<typeof CellMetricsSchema>;

export const FactorExplanationSchema = z.object({
	factor: FactorSchema,
	rate: num,
	baseline: num,
	excess: num.meta({ description: 'rate − baseline (share points), ≥ 0.' })
});

export const SeverityResultSchema = z.object({
	severity: SeveritySchema,
	score: num.meta({ description: 'Badness × impact multiplier; thresholds give the colour.' }),
	badness: num,
	impact: num.meta({ description: 'Score × customers: the ranking key.' }),
	multiplier: num,
	trend: numOrNull.meta({ description: 'Badness now − badness in the previous period.' }),
	why: z.array(FactorExplanationSchema),
	reason: z.enum(['flagged', 'below-threshold', 'small-sample', 'no-signals'])
});
export type SeverityResult = z.infer<typeof SeverityResultSchema>;

export const JourneyCellSchema = CellMetricsSchema.extend({
	severity: SeverityResultSchema,
	previous: CellMetricsSchema.pick({ interactions: true, csat: true, sentiment: true, complaints: true })
		.extend({ complaintRate: numOrNull })
		.nullable()
});
export type JourneyCell = z.infer<typeof JourneyCellSchema>;

export const SeveritySettingsSchema = z
	.object({
		weights: z
			.object({
				complaint: z.number().min(0).max(10).default(1),
				lowCsat: z.number().min(0).max(10).default(1),
				negSentiment: z.number().min(0).max(10).default(1),
				unresolved: z.number().min(0).max(10).default(1),
				repeat: z.number().min(0).max(10).default(1)
			})
			.default({ complaint: 1, lowCsat: 1, negSentiment: 1, unresolved: 1, repeat: 1 }),
		thresholds: z
			.object({
				red: z.number().min(0).max(1).default(0.43),
				yellow: z.number().min(0).max(1).default(0.2),
				blue: z.number().min(0).max(1).default(0.05)
			})
			.default({ red: 0.43, yellow: 0.2, blue: 0.05 }),
		minInteractions: z.number().int().min(1).max(100_000).default(30),
		minCustomers: z.number().int().min(1).max(100_000).default(10),
		minFactorSample: z.number().int().min(1).max(100_000).default(20),
		highValueTiers: z.array(z.string().min(1).max(64)).max(20).default(['gold', 'platinum'])
	})
	.meta({ description: 'Pain-point severity model settings (settings key journey.severity).' });
export type SeveritySettings = z.infer<typeof SeveritySettingsSchema>;

export const JourneyMapSchema = z.object({
	filter: z.object({ from: z.string(), to: z.string(), prevFrom: z.string(), prevTo: z.string() }),
	stages: z.array(z.string()),
	stageCells: z.array(JourneyCellSchema),
	touchpoints: z.array(JourneyCellSchema),
	cells: z.array(JourneyCellSchema),
	unassigned: z.object({ interactions: num, share: num }),
	totals: z.object({ interactions: num, customers: num }),
	baseline: z.record(FactorSchema, numOrNull),
	thresholds: z.object({ red: num, yellow: num, blue: num }),
	options: z.object({ regions: z.array(z.string()), intents: z.array(z.string()) })
});
export type JourneyMap = z.infer<typeof JourneyMapSchema>;

export const PainPointIdSchema = z
	.string()
	.min(1)
	.max(400)
	.regex(/^[A-Za-z0-9_-]+$/, 'not a pain-point id');

export const PainPointSchema = JourneyCellSchema.extend({
	id: z.string(),
	rank: num,
	worstChannel: z.string(),
	spark: z.array(z.object({ bucket: z.string(), badness: numOrNull, interactions: num }))
});
export type PainPoint = z.infer<typeof PainPointSchema>;

export const PainPointListSchema = z.object({
	interval: z.enum(['week', 'month']),
	items: z.array(PainPointSchema)
});
export type PainPointList = z.infer<typeof PainPointListSchema>;

export const PainPointGetInputSchema = z.object({
	id: PainPointIdSchema,
	filter: JourneyFilterSchema,
	page: z.number().int().min(1).max(10_000).default(1),
	pageSize: z.number().int().min(5).max(200).default(25)
});
export type PainPointGetInput = z.input<typeof PainPointGetInputSchema>;

export const VerbatimSchema = z.object({
	interactionId: z.string(),
	source: z.string(),
	channel: z.string(),
	ts: z.string(),
	sentiment: numOrNull,
	csat: numOrNull,
	isComplaint: z.boolean(),
	language: z.string(),
	text: z.string()
});
export type Verbatim = z.infer<typeof VerbatimSchema>;

export const InteractionRowSchema = VerbatimSchema.extend({
	outcome: z.string(),
	fcr: numOrNull,
	handleSeconds: numOrNull,
	segment: z.string(),
	region: z.string()
});
export type InteractionRow = z.infer<typeof InteractionRowSchema>;

export const PainPointDetailSchema = z.object({
	id: z.string(),
	stage: z.string(),
	touchpoint: z.string(),
	cell: JourneyCellSchema.nullable(),
	interval: z.enum(['week', 'month']),
	trend: z.array(
		z.object({
			bucket: z.string(),
			interactions: num,
			complaintRate: numOrNull,
			csat: numOrNull,
			badness: numOrNull
		})
	),
	segments: z.array(
		z.object({ dimension: z.string(), value: z.string(), interactions: num, complaintRate: numOrNull, csat: numOrNull })
	),
	terms: z.array(z.object({ term: z.string(), score: num, count: num })),
	verbatims: z.array(VerbatimSchema),
	interactions: z.object({ total: num, page: num, pageSize: num, rows: z.array(InteractionRowSchema) })
});
export type PainPointDetail = z.infer<typeof PainPointDetailSchema>;

export const PathsInputSchema = JourneyFilterSchema.and(
	z.object({
		depth: z.number().int().min(2).max(10).default(4),
		level: z.enum(['stage', 'touchpoint']).default('stage'),
		top: z.number().int().min(1).max(50).default(10)
	})
);
export type PathsInput = z.input<typeof PathsInputSchema>;

export const PathsSchema = z.object({
	sampled: num.meta({ description: 'Share of customers read (1 = all); counts are scaled up.' }),
	customers: num,
	nodes: z.array(z.object({ id: z.string(), step: num, label: z.string(), customers: num, dropOff: num })),
	links: z.array(z.object({ source: z.string(), target: z.string(), value: num })),
	topPaths: z.array(z.object({ path: z.array(z.string()), customers: num })),
	channelSwitching: z.array(z.object({ channels: z.string(), customers: num, share: num }))
});
export type Paths = z.infer<typeof PathsSchema>;

/** Opaque, URL-safe id of a pain point (its stage and touchpoint). */
export function painPointId(stage: string, touchpoint: string): string {
	const bytes = new TextEncoder().encode(`${stage}\u001f${touchpoint}`);
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function parsePainPointId(id: string): { stage: string; touchpoint: string } | undefined {
	try {
		const bin = atob(id.replace(/-/g, '+').replace(/_/g, '/'));
		const text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
		const [stage, touchpoint, ...rest] = text.split('\u001f');
		if (!stage || touchpoint === undefined || rest.length) return undefined;
		return { stage, touchpoint };
	} catch {
		return undefined;
	}
}
