SELECT stage, touchpoint, reason_id, channel, segment, tier, fcr, transferred, wait_band, handle_band,
       {{n}} AS n, {{s}} AS s, {{q}} AS q
FROM driver_cells
WHERE month >= toStartOfMonth({from:Date}) AND month <= {to:Date}
