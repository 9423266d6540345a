-- Parts written by an insert stay Compact (one data file) up to 256 MiB uncompressed; merges that
-- grow past that write Wide parts (a file per column) as before. Interactions are partitioned by
-- month, so a load writes one part per month per block (27 parts for 1M demo tickets): as Wide
-- parts each cost a file per column stream and their buffers, and writing them was 5.1-5.4 CPU-s
-- of a 1M-row insert against 2.2-2.5 as Compact parts (measured, roll-up views detached).
-- Dashboards read the roll-ups; drill-downs read a few thousand rows of interactions.

ALTER TABLE interactions {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
ALTER TABLE journey_steps {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
ALTER TABLE customer_timeline {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
ALTER TABLE interaction_keys {on_cluster} MODIFY SETTING min_bytes_for_wide_part = 268435456;
