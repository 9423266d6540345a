/**
 * Why this exists: actions taken on a pain point or a contact reason — who owns them, when they are
 * due, what they cost and what they should change — and their measured effect, shared by the
 * actions router, its query module and the pages (/actions, the ROI page's actions section, the
 * trends and journey markers). Inputs are checked here so a bad one is a 400 with a message.
 */
import { z } from 'zod';
import { day as dayField, num, numOrNull } from './fields';
import { PainPointIdSchema, PainPointKindSchema } from './journey';

/**
 * The KPI an action means to move, and so the one its effect is measured on. Each maps to one KPI
 * of the journey roll-ups ($schemas/metrics): complaint rate (complaint-like contacts counted where a
 * source flags none, as the pain-point severity does), mean CSAT 0–10, share of contacts with
 * negative sentiment, average handle time in seconds.
 */
export const ACTION_KPIS = ['complaintRate', 'csat', 'negativeShare', 'aht'] as const;
export const ActionKpiSchema = z.enum(ACTION_KPIS).meta({ description: 'The KPI the action targets.' });
export type ActionKpi = z.infer<typeof ActionKpiSchema>;

export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export const ActionStatusSchema = z.enum(ACTION_STATUSES);
export type ActionStatus = z.infer<typeof ActionStatusSchema>;

/**
 * Which status may follow which. A done action can be reopened (its measurement then stops); a
 * cancelled one can be planned again, but never jumps straight to done: nothing was done.
 */
export const STATUS_NEXT: Record<ActionStatus, readonly ActionStatus[]> = {
	planned: ['in_progress', 'done', 'cancelled'],
	in_progress: ['planned', 'done', 'cancelled'],
	done: ['in_progress'],
	cancelled: ['planned']
};

export function canMoveTo(from: ActionStatus, to: ActionStatus): boolean {
	return from === to || STATUS_NEXT[from].includes(to);
}

const day = dayField('Calendar date YYYY-MM-DD.');
const text = (max: number) => z.string().trim().max(max);

export const ActionCreateSchema = z
	.object({
		target: PainPointIdSchema.meta({ description: 'The pain point (touchpoint or reason) the action is on.' }),
		title: text(200).min(1, 'title: required'),
		kpi: ActionKpiSchema,
		owner: text(120).default(''),
		due: day,
		status: ActionStatusSchema.default('planned'),
		/** The change the action should bring, in the KPI's own unit (−0.05: five points fewer complaints). */
		expectedEffect: z.number().min(-1e6).max(1e6).default(0),
		cost: z.number().min(0, 'cost must not be negative').max(1e13).default(0),
		notes: text(4000).default(''),
		/** The day it was done, when created as done (default: today). */
		doneAt: day.optional()
	})
	.strict();
export type ActionCreate = z.input<typeof ActionCreateSchema>;

export const ActionIdSchema = z
	.string()
	.regex(/^a-[a-z0-9]{6,40}$/, 'not an action id')
	.meta({ description: 'An action id.' });

export const ActionUpdateSchema = z
	.object({
		id: ActionIdSchema,
		title: text(200).min(1, 'title: required').optional(),
		kpi: ActionKpiSchema.optional(),
		owner: text(120).optional(),
		due: day.optional(),
		status: ActionStatusSchema.optional(),
		expectedEffect: z.number().min(-1e6).max(1e6).optional(),
		cost: z.number().min(0, 'cost must not be negative').max(1e13).optional(),
		notes: text(4000).optional(),
		/** With status done: the day it was done (default: today; never in the future). */
		doneAt: day.optional()
	})
	.strict();
export type ActionUpdate = z.input<typeof ActionUpdateSchema>;

export const ActionListInputSchema = z
	.object({
		target: PainPointIdSchema.optional(),
		status: ActionStatusSchema.optional()
	})
	.strict()
	.default({});

/** The effect an action on `target` done on `doneAt` measures (before one is stored, or what-if). */
export const ActionEffectInputSchema = z
	.object({
		target: PainPointIdSchema,
		kpi: ActionKpiSchema,
		doneAt: day
	})
	.strict();

export const ActionSchema = z.object({
	id: z.string(),
	title: z.string(),
	target: z.string(),
	targetKind: PainPointKindSchema,
	stage: z.string(),
	touchpoint: z.string().meta({ description: 'The touchpoint, or the reason name for an action on a reason.' }),
	kpi: ActionKpiSchema,
	owner: z.string(),
	due: z.string(),
	status: ActionStatusSchema,
	doneAt: z.string().nullable(),
	expectedEffect: num,
	cost: num,
	notes: z.string(),
	createdBy: z.string(),
	createdAt: z.string(),
	updatedBy: z.string(),
	updatedAt: z.string()
});
export type Action = z.infer<typeof ActionSchema>;

/** Why an effect cannot be measured yet. */
export const NOT_ENOUGH = [
	'tooFewDaysBefore',
	'tooFewDaysAfter',
	'tooFewContacts',
	'noComparableUnits',
	'tooFewComparableUnits',
	'unknownTarget'
] as const;
export type NotEnough = (typeof NOT_ENOUGH)[number];

export const ActionEffectSchema = z.object({
	status: z.enum(['notDone', 'notEnoughData', 'measured']),
	reasons: z.array(z.enum(NOT_ENOUGH)).meta({ description: 'Why there is not enough data yet (empty when measured).' }),
	kpi: ActionKpiSchema,
	/** Difference in differences: the touched unit's change minus the comparable units' change. */
	effect: numOrNull,
	low: numOrNull.meta({ description: 'Lower end of the 95% interval.' }),
	high: numOrNull.meta({ description: 'Upper end of the 95% interval.' }),
	before: numOrNull,
	after: numOrNull,
	comparisonBefore: numOrNull,
	comparisonAfter: numOrNull,
	weeksBefore: num,
	weeksAfter: num,
	contactsBefore: num,
	contactsAfter: num,
	comparableUnits: num,
	daysAfter: num,
	/** The effect in money a year, with the ROI page's assumptions; null when the KPI has no price. */
	annualBenefit: numOrNull,
	paybackMonths: numOrNull,
	currency: z.string()
});
export type ActionEffect = z.infer<typeof ActionEffectSchema>;

export const ActionWithEffectSchema = ActionSchema.extend({ effect: ActionEffectSchema.nullable() });
export type ActionWithEffect = z.infer<typeof ActionWithEffectSchema>;

export const ActionsRoiSchema = z.object({
	currency: z.string(),
	items: z.array(ActionWithEffectSchema),
	totalCost: num,
	totalBenefit: num,
	paybackMonths: numOrNull,
	measured: num
});
export type ActionsRoi = z.infer<typeof ActionsRoiSchema>;
