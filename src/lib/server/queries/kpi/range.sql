-- First and last day with data (the roll-up's sort key starts with day, so this reads little).
SELECT
    if(count() = 0, NULL, toString(min(day))) AS min,
    if(count() = 0, NULL, toString(max(day))) AS max
FROM kpi_daily
