-- The last day with data: "now" for the customer rules (never the clock, so a demo or an old
-- export reads the same any day). kpi_daily is sorted by day, so this reads little.
SELECT if(count() = 0, NULL, toString(max(day))) AS asOf FROM kpi_daily
