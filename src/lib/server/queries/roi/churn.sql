-- Customers active at the start of a period and those lost during it (the CRM's churn dates), and
-- those active at any time in it (the customers its contacts came from).
-- A customer without an opening date counts as existing. FINAL: one row per customer after updates.
SELECT
    countIf(ifNull(account_opened, toDate('1970-01-01')) <= {from:Date}
            AND (churn_date IS NULL OR churn_date >= {from:Date}))     AS activeAtStart,
    countIf(ifNull(account_opened, toDate('1970-01-01')) <= {to:Date}
            AND (churn_date IS NULL OR churn_date >= {from:Date}))     AS activeDuring,
    countIf(churn_date >= {from:Date} AND churn_date <= {to:Date})      AS churned,
    countIf(status != 'churned')                                        AS activeNow
FROM customers FINAL
