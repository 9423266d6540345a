-- Quarantined records per source (for the sources table and the browser's filter).
SELECT source, count() AS n, toString(max(at)) AS last
FROM quarantine
GROUP BY source
ORDER BY source
