-- Customers with repeated complaints of the same type: ≥ repeat_min complaints about one touchpoint (or intent where no touchpoint)
-- within repeat_window_days of each other, at any time in [repeat_from, end). Times per
-- (customer, kind) are sorted; the k-th complaint is checked against the (k - min + 1)-th.
SELECT customer_id
FROM
(
    SELECT customer_id, if(touchpoint != '', toString(touchpoint), toString(intent)) AS kind, arraySort(groupArray(toUnixTimestamp(ts))) AS t
    FROM interactions
    WHERE is_complaint = 1 AND customer_id != ''
      AND ts >= toDateTime64({repeat_from:Date}, 3, 'UTC') AND ts < toDateTime64({as_of:Date}, 3, 'UTC') + INTERVAL 1 DAY
    GROUP BY customer_id, kind
    HAVING length(t) >= {repeat_min:UInt16}
)
-- Pairs (k-th, (k - min + 1)-th) as two aligned slices: reading t[…] inside the lambda would copy t
-- once per element (n² per customer).
WHERE arrayExists((x, y) -> x - y <= {repeat_window_days:UInt32} * 86400,
    arraySlice(t, {repeat_min:UInt16}), arraySlice(t, 1, length(t) - {repeat_min:UInt16} + 1))
GROUP BY customer_id
