-- "Now" for the churn model: the last day the data knows of — contacts, orders, the CRM's own dates
-- — and, for a CRM export with no dates at all, the day it was loaded. Never the clock, and not only
-- the contacts (kpi_daily): a customers-only CRM has none and is still scored. An empty table's max
-- is 1970-01-01, which greatest() passes over.
WITH
    (SELECT max(day) FROM kpi_daily) AS d_contacts,
    (SELECT toDate(max(ts)) FROM orders) AS d_orders,
    (SELECT max(greatest(ifNull(churn_date, toDate(0)), ifNull(account_opened, toDate(0)))) FROM customers) AS d_crm,
    (SELECT toDate(max(updated_at)) FROM customers) AS d_loaded,
    (SELECT count() FROM customers) AS n,
    greatest(d_contacts, d_orders, d_crm) AS d_data
SELECT if(n = 0, NULL, toString(if(d_data > toDate(0), d_data, d_loaded))) AS asOf
