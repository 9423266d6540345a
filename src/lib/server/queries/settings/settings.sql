-- The latest value of one setting (ReplacingMergeTree keeps history until merges).
SELECT argMax(value, updated_at) AS value
FROM settings
WHERE key = {key:String}
HAVING count() > 0
