-- Parts written by an insert stay Compact (one data file) up to 256 MiB uncompressed; merges that
-- grow past that write Wide parts (a file per column) as before. Interactions are partitioned by
-- month, so a load writes one part per month per block: as Wide parts each cost a file per column
-- stream and their buffers, which made writing them the larger share of an insert's CPU.
-- Dashboards read the roll-ups; drill-downs read a few thousand rows of interactions.

ALTER TABLE interactions {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
ALTER TABLE journey_steps {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
ALTER TABLE customer_timeline {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
ALTER TABLE interaction_keys {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
