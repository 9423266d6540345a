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
WHERE arrayExists((x, i) -> i >= {repeat_min:UInt16} AND x - t[i - {repeat_min:UInt16} + 1] <= {repeat_window_days:UInt32} * 86400, t, arrayEnumerate(t))
GROUP BY customer_id
