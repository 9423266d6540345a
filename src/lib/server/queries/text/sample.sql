-- A bounded, deterministic sample of stored texts for topic extraction. {inside:UInt8} = 1 selects
-- texts matching the filter, 0 those that do not (the background of the same range). Empty filter
-- values match everything. The hash order spreads the sample over the whole range. `source` is
-- `text_sample` (the texts of lowest hash, sorted by it: read first) or `interactions` (all texts:
-- when the sample holds fewer matching texts than asked for), `hash` the hash column of each.
SELECT text, language, customer_id
FROM {{source}}
WHERE ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}
  AND text != ''
  AND (NOT {negative_only:UInt8} OR sentiment < 0)
  AND (
        ({stage:String} = '' OR stage = {stage:String})
    AND ({touchpoint:String} = '' OR touchpoint = {touchpoint:String})
    AND ({channel:String} = '' OR channel = {channel:String})
    AND ({intent:String} = '' OR intent = {intent:String})
  ) = {inside:UInt8}
ORDER BY {{hash}}
LIMIT {limit:UInt32}
