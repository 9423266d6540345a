-- Actions taken on a pain point (a touchpoint or a contact reason): one row per version of an
-- action; the newest version wins (readers take argMax over `version`). Every create and edit writes
-- a whole new row, so an action's state is always one row, and the audit log holds who changed what.
--   target      the pain-point id ($schemas/journey painPointId: stage, touchpoint or reason name, kind)
--   kpi         the KPI the action is meant to move, and so the one its effect is measured on
--   done_at     the day it was marked done ('1970-01-01' until then): the effect is measured around it

CREATE TABLE IF NOT EXISTS actions {{on_cluster}}
(
    id               String,
    version          UInt64,
    title            String,
    target           String,
    target_kind      LowCardinality(String),
    stage            String,
    touchpoint       String,
    kpi              LowCardinality(String),
    owner            String,
    due              Date,
    status           LowCardinality(String),
    done_at          Date,
    expected_effect  Float64,
    cost             Float64,
    notes            String,
    created_by       String,
    created_at       DateTime64(3, 'UTC'),
    updated_by       String,
    updated_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;
