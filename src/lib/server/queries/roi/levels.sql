-- Service levels over one period from the hourly roll-up ("all" rows: one per hour); each KPI part
-- is its formula over the roll-up's measures ($schemas/metrics).
SELECT
    {{volume}}        AS contacts,
    sum(handle_n)     AS handledContacts,
    {{fcr}}           AS fcr,
    {{csat}}          AS csat,
    {{aht}}           AS ahtSeconds,
    {{firstResponse}} AS firstResponseSeconds,
    {{complaintRate}} AS complaintRate,
    {{complaints}}    AS complaintCount
FROM kpi_hourly
WHERE dim = 'all'
  AND hour >= toDateTime({from:String}, {tz:String})
  AND hour < toDateTime({to_excl:String}, {tz:String})
