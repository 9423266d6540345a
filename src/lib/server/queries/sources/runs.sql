-- Recent ingest runs of one source (ingest_runs keeps the newest version of each run).
SELECT run_id, status, accepted, rejected, duplicates, seconds, error,
       toString(started_at) AS started_at, toString(finished_at) AS finished_at
FROM ingest_runs FINAL
WHERE source = {source:String}
ORDER BY started_at DESC
LIMIT {limit:UInt32}
