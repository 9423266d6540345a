-- What a run refused most, so a user sees why without opening quarantine: a JSON array of
-- { reason, count, example } — the reason with its quoted values left out, how many records it
-- refused, and its most frequent wording (ingest/loading/quarantine.ts).
ALTER TABLE ingest_runs {on_cluster} ADD COLUMN IF NOT EXISTS top_reasons String DEFAULT '' AFTER error;
