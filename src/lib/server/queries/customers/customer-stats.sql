-- One customer's totals from customer_monthly (a primary-key range).
SELECT
    sum(interactions) AS interactions,
    sum(complaints) AS complaints,
    if(sum(csat_n) = 0, NULL, sum(csat_sum) / sum(csat_n)) AS csat,
    if(sum(sentiment_n) = 0, NULL, sum(sentiment_sum) / sum(sentiment_n)) AS sentiment,
    if(count() = 0, NULL, toString(max(last_ts))) AS last_ts
FROM customer_monthly
WHERE customer_id = {id:String}
