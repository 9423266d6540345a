-- A customer with no contact on record has no "days since the last contact": NULL, not a 9999
-- stand-in that the at-risk list showed as "9999 d quiet". A customers-only CRM has no contacts at all.
ALTER TABLE churn_scores {on_cluster} MODIFY COLUMN days_since_last Nullable(UInt32);
