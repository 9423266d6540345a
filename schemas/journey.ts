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
	samples: z.record(FactorSchema, num),
	authors: num.optional().meta({ description: 'Distinct anonymous authors (contacts without a customer id).' }),
	unattributed: num.optional().meta({ description: 'Contacts with neither a customer id nor an author.' }),
	complaintMeasured: num
		.optional()
		.meta({ description: 'Contacts from sources that flag complaints (absent: all of them; 0: not measured).' }),
	complaintLike: num
		.optional()
		.meta({ description: 'Strongly negative or complaint-language contacts among those not measured.' })
});
export type CellMetrics = z.infer<typeof CellMetricsSchema>;

export const REACH_UNITS = ['customers', 'authors', 'contacts', 'people'] as const;
export type ReachUnit = (typeof REACH_UNITS)[number];

export const FactorExplanationSchema = z.object({
	factor: FactorSchema,
	rate: num,
	baseline: num,
	excess: num.meta({ description: 'rate − baseline (share points), ≥ 0.' })
});

/** An absolute standard a cell crossed: a factor's share, or the mean CSAT (0–10). */
export const FloorHitSchema = z.object({
	measure: z.enum([...FACTORS, 'csatMean']),
	value: num,
	limit: num,
	level: z.enum(['red', 'yellow'])
});
export type FloorHit = z.infer<typeof FloorHitSchema>;

export const SeverityResultSchema = z.object({
	severity: SeveritySchema,
	score: num.meta({
		description:
			'The larger of badness × impact multiplier and the score of the worst absolute floor crossed; thresholds give the colour.'
	}),
	badness: num,
	reach: num.meta({ description: 'People affected: customers, plus anonymous authors, plus contacts with neither.' }),
	reachUnit: z.enum(REACH_UNITS),
	impact: num.meta({ description: 'Score × reach: the ranking key.' }),
	floors: z.array(FloorHitSchema).meta({ description: 'Absolute floors crossed, worst first.' }),
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

const share = z.number().min(0).max(1).nullable();
const floorPair = z.object({ yellow: share, red: share });
/**
 * Absolute standards, whatever the other cells look like: a share at or above a limit (a mean CSAT
 * at or below one) makes a cell at least that colour; null switches a limit off. Defaults and where
 * they come from: docs/journey.md, "Severity".
 */
export const FloorsSchema = z.object({
	csatMean: z.object({ yellow: z.number().min(0).max(10).nullable(), red: z.number().min(0).max(10).nullable() }),
	complaint: floorPair,
	lowCsat: floorPair,
	negSentiment: floorPair,
	unresolved: floorPair,
	repeat: floorPair
});
export type Floors = z.infer<typeof FloorsSchema>;
export const DEFAULT_FLOORS: Floors = {
	csatMean: { yellow: 4, red: 2.5 },
	complaint: { yellow: null, red: null },
	lowCsat: { yellow: 0.5, red: 0.75 },
	negSentiment: { yellow: 0.6, red: 0.8 },
	unresolved: { yellow: 0.5, red: 0.7 },
	repeat: { yellow: 0.4, red: 0.6 }
};

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
		floors: FloorsSchema.default(DEFAULT_FLOORS),
		inferComplaints: z.boolean().default(true).meta({
			description:
				'Where a source has no complaint flag, count strongly negative or complaint-language contacts as complaints.'
		}),
		complaintQueueShare: z.number().min(0).max(1).nullable().default(0.9).meta({
			description:
				'A cell whose contacts are at least this share flagged complaints is a complaint queue: its complaint share and negative sentiment are given by construction, so neither judges it; CSAT, outcome and repeat contacts do (null: no cell is a queue).'
		}),
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

export const PAIN_POINT_KINDS = ['touchpoint', 'reason'] as const;
export const PainPointKindSchema = z.enum(PAIN_POINT_KINDS).meta({
	description: 'Pain points by touchpoint (a reason standing in where a source has none) or by contact reason.'
});
export type PainPointKind = z.infer<typeof PainPointKindSchema>;

export const PainPointListInputSchema = JourneyFilterSchema.and(
	z.object({ by: PainPointKindSchema.default('touchpoint') })
);
export type PainPointListInput = z.input<typeof PainPointListInputSchema>;

export const PainPointIdSchema = z
	.string()
	.min(1)
	.max(400)
	.regex(/^[A-Za-z0-9_-]+$/, 'not a pain-point id');

export const PainPointSchema = JourneyCellSchema.extend({
	id: z.string(),
	rank: num,
	kind: z
		.enum(['touchpoint', 'reason'])
		.meta({ description: "A source's touchpoint, or a contact reason (standing in for one, or listed by reason)." }),
	by: PainPointKindSchema,
	worstChannel: z
		.string()
		.meta({ description: "The channel whose cell scores worst ('' when none has enough contacts)." }),
	worstChannelBy: z
		.object({ factor: FactorSchema, rate: num })
		.nullable()
		.meta({ description: 'The rate that makes the worst channel worst: its largest factor.' }),
	spark: z.array(z.object({ bucket: z.string(), badness: numOrNull, interactions: num }))
});
export type PainPoint = z.infer<typeof PainPointSchema>;

export const PainPointListSchema = z.object({
	by: PainPointKindSchema,
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
	/** The contact's customer, for a link to their page; '' when anonymous or the viewer may not open customers. */
	customerId: z.string().default(''),
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
	by: PainPointKindSchema,
	stage: z.string(),
	touchpoint: z.string().meta({ description: 'The touchpoint, or the contact reason when `by` is reason.' }),
	cell: JourneyCellSchema.nullable(),
	worstChannel: z.string(),
	worstChannelBy: z.object({ factor: FactorSchema, rate: num }).nullable(),
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
	segmentFactor: FactorSchema.meta({
		description: 'The factor that drives the severity: its rate is what `segments` compares.'
	}),
	segments: z.array(
		z.object({
			dimension: z.string(),
			value: z.string(),
			interactions: num,
			reach: num.meta({ description: 'People reached in the segment, counted as the severity counts them.' }),
			reachUnit: z.enum(REACH_UNITS),
			rate: numOrNull.meta({
				description: "The segmentFactor's rate in the segment; null below the minimum factor sample."
			}),
			sample: num.meta({ description: "Observations behind the rate (the factor's denominator)." }),
			complaintRate: numOrNull,
			csat: numOrNull
		})
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

/** Opaque, URL-safe id of a pain point (its stage and touchpoint, or its stage and reason name). */
export function painPointId(stage: string, touchpoint: string, by: PainPointKind = 'touchpoint'): string {
	const bytes = new TextEncoder().encode(`${stage}\u001f${touchpoint}${by === 'reason' ? '\u001freason' : ''}`);
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function parsePainPointId(id: string): { stage: string; touchpoint: string; by: PainPointKind } | undefined {
	try {
		const bin = atob(id.replace(/-/g, '+').replace(/_/g, '/'));
		const text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
		const [stage, touchpoint, by, ...rest] = text.split('\u001f');
		if (!stage || touchpoint === undefined || rest.length || (by !== undefined && by !== 'reason')) return undefined;
		return { stage, touchpoint, by: by ?? 'touchpoint' };
	} catch {
		return undefined;
	}
}
