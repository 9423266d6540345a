-- The sources that have written interactions, for the per-source retention settings.
SELECT source, count() AS interactions, min(ts) AS oldest
FROM interactions
GROUP BY source
ORDER BY source
