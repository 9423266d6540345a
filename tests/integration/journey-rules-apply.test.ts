/**
 * Journey rules and custom intents edited through the API and applied to stored rows as a
 * background job: what a rule or the text models filled is re-derived, a source's own stage is
 * kept, no row is duplicated, the journey map moves, and new data (both ingest paths) gets them at
 * once. Bad edits answer 400 with a message; roles without the right get 403.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof import('../../src/lib/server/trpc/router').createCaller>;
let ingest: (name: string, path: 'js' | 'auto', lines: object[]) => Promise<string>;

const FILTER = { from: '2026-01-01', to: '2026-03-31' } as const;
const TEXTS = [
	'my data cap ran out after ten days',
	'the data cap on this plan is far too low',
	'fibre line keeps dropping every evening',
	'fibre line down since the storm'
];
const line = (id: string, i: number, extra: object = {}) => ({
	id,
	at: `2026-0${1 + (i % 3)}-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00Z`,
	text: `${TEXTS[i % TEXTS.length]} (${i % 5})`,
	...extra
});

beforeAll(async () => {
	ctx = await freshDb();
	const { ingestFile } = await import('../../ingest/loading/ingest-file');
	const { MappingSchema } = await import('../../schemas/mapping');
	const mapping = MappingSchema.parse({
		name: 'tickets',
		entity: 'interaction',
		format: 'ndjson',
		constants: { channel: 'email' },
		fields: { source_id: 'id', ts: 'at', text: 'text', stage: 'stage', touchpoint: 'touchpoint' }
	});
	ingest = async (name, path, lines) => {
		const file = join(ctx.dir, name);
		writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
		return (await ingestFile({ db: ctx.db, file, mapping, path })).path;
	};
	// 80 tickets without a stage, and 8 whose source placed them itself.
	await ingest('a.ndjson', 'js', [
		...Array.from({ length: 80 }, (_, i) => line(`a${i}`, i)),
		...Array.from({ length: 8 }, (_, i) => line(`own${i}`, 4 * i, { stage: 'purchase', touchpoint: 'checkout' }))
	]);
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	caller = createCaller({ db: ctx.db });
}, 120_000);
afterAll(() => ctx.close());

const byText = async () =>
	rows<{ id: string; text: string; stage: string; touchpoint: string; intent: string; scenario: string }>(
		ctx.db,
		`SELECT source_id AS id, text, stage, touchpoint, intent, scenario FROM interactions ORDER BY source_id`
	);

async function applyAndWait() {
	const started = await caller.journey.applyRules({});
	expect(started.state).toBe('running');
	for (let i = 0; i < 600; i++) {
		const s = await caller.journey.applyStatus();
		if (s.state !== 'running') return s;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('applying the rules did not finish');
}

const RULES = (touchpoint: string) => ({
	version: 1 as const,
	rules: [
		{ name: 'data caps', when: { keywords: ['data cap'] }, set: { stage: 'loyalty', touchpoint } },
		{ name: 'fibre', when: { keywords: ['fibre'] }, set: { stage: 'after_sales', touchpoint: 'line faults' } }
	]
});

describe('journey rules and custom intents applied to stored data', () => {
	it('refuses bad rules and intents with a message, and roles without the right', async () => {
		await expect(caller.journey.updateIntents({ version: 1, intents: [] })).resolves.toMatchObject({ intents: [] });
		await expect(
			caller.journey.updateIntents({
				version: 1,
				intents: [{ name: ' ', scenario: 'complaint', keywords: ['x'], phrases: [] }]
			})
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('an intent needs a name') });
		await expect(
			caller.journey.updateIntents({
				version: 1,
				intents: [{ name: 'refund', scenario: 'complaint', keywords: ['x'], phrases: [] }]
			})
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('built-in intent') });
		await expect(
			caller.journey.updateIntents({
				version: 1,
				intents: [{ name: 'caps', scenario: 'complaint', keywords: [], phrases: [] }]
			})
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('at least one keyword') });
		await expect(
			caller.journey.updateRules({ version: 1, rules: [{ name: 'x', when: {}, set: { stage: 'a', touchpoint: 'b' } }] })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('at least one condition') });

		const { createCaller } = await import('../../src/lib/server/trpc/router');
		const as = (role: 'strategist' | 'product') =>
			createCaller({
				db: ctx.db,
				auth: {
					user: { user_id: role, email: `${role}@example.com`, name: role, role },
					enforced: true,
					ip: '10.0.0.1'
				}
			} as never);
		await expect(as('product').journey.updateRules(RULES('x'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as('product').journey.applyRules({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
		// A strategist may edit: the stored rules are the ones the tests below replace.
		await expect(as('strategist').journey.updateRules(RULES('data allowance'))).resolves.toMatchObject({
			rules: [{ name: 'data caps' }, { name: 'fibre' }]
		});
		const audit = await rows<{ n: string }>(
			ctx.db,
			`SELECT count() AS n FROM audit_log WHERE action = 'change' AND target LIKE '%journey.updateRules%'`
		);
		expect(Number(audit[0]?.n)).toBeGreaterThanOrEqual(1);
	});

	it('changes stored rows only when applied, keeping a source’s own stage', async () => {
		await caller.journey.updateIntents({
			version: 1,
			intents: [
				{ name: 'data_cap', scenario: 'complaint', keywords: ['data cap'], phrases: [] },
				{ name: 'line_fault', scenario: 'after_sales', keywords: [], phrases: ['line dropping'] }
			]
		});
		const before = await byText();
		expect(before.filter((r) => r.touchpoint === 'data allowance')).toHaveLength(0);

		const status = await applyAndWait();
		expect(status).toMatchObject({ state: 'done', error: null });
		expect(status.total).toBe(88);
		expect(status.changed).toBeGreaterThanOrEqual(40);

		const after = await byText();
		expect(after).toHaveLength(88);
		const caps = after.filter((r) => r.id.startsWith('a') && r.text.includes('data cap'));
		expect(caps).toHaveLength(40);
		expect(caps.every((r) => r.stage === 'loyalty' && r.touchpoint === 'data allowance')).toBe(true);
		expect(caps.every((r) => r.intent === 'data_cap' && r.scenario === 'complaint')).toBe(true);
		// "fibre line keeps dropping" holds every word of the example phrase "line dropping".
		const dropping = after.filter((r) => r.text.includes('keeps dropping'));
		expect(dropping).toHaveLength(20);
		expect(dropping.every((r) => r.intent === 'line_fault' && r.touchpoint === 'line faults')).toBe(true);
		const own = after.filter((r) => r.id.startsWith('own'));
		expect(own.every((r) => r.stage === 'purchase' && r.touchpoint === 'checkout')).toBe(true);

		const map = await caller.journey.map(FILTER);
		expect(map.touchpoints.find((t) => t.touchpoint === 'data allowance')?.interactions).toBe(40);
	});

	it('re-derives what a rule filled when the rules change again', async () => {
		await caller.journey.updateRules(RULES('mobile data'));
		const status = await applyAndWait();
		expect(status.changed).toBe(40);
		const after = await byText();
		expect(after.filter((r) => r.touchpoint === 'mobile data')).toHaveLength(40);
		expect(after.filter((r) => r.touchpoint === 'data allowance')).toHaveLength(0);
		const kpi = await rows<{ n: string }>(ctx.db, `SELECT sum(interactions) AS n FROM kpi_daily`);
		expect(Number(kpi[0]?.n)).toBe(88);
	});

	it('gives new data the saved rules and intents at once, on both ingest paths', async () => {
		expect(await ingest('b.ndjson', 'js', [line('b0', 0)])).toBe('js');
		expect(await ingest('c.ndjson', 'auto', [line('c0', 1)])).toBe('sql');
		const fresh = (await byText()).filter((r) => r.id === 'b0' || r.id === 'c0').map(({ text: _, ...r }) => r);
		expect(fresh).toEqual([
			{ id: 'b0', stage: 'loyalty', touchpoint: 'mobile data', intent: 'data_cap', scenario: 'complaint' },
			{ id: 'c0', stage: 'loyalty', touchpoint: 'mobile data', intent: 'data_cap', scenario: 'complaint' }
		]);
	});
});
