-- run_containment: one row per run with ground truth (truth.jsonl, see
-- docs/truth-records.md): how far what happened strayed from what the person
-- intended, and how much of it the audit log alone can show.
--   ops_executed                 executed operations (truth kind op)
--   outside_intent               of those, outside the root intent (oracle)
--   outside_provable             ... that the log alone proves outside what was approved
--   outside_oracle_only          ... that only the oracle sees (the log looks clean)
--   false_denials                decisions refusing an intended call, plus delegation hops
--                                refused whose grant lies inside the intent (intended work
--                                refused at mint, before any call: strict narrowing's cost)
--   cross_domain_disagreements   federated requests whose PS and AS decisions differ
--   body_disclosures             mission bodies sent to another trust domain
--   delegations_granted / delegations_rejected / delegations_outside_intent
--                                hops minted, refused, and minted outside the root intent
CREATE OR REPLACE VIEW run_containment AS
WITH disagreements AS (
  SELECT run_id, count(*) AS n
  FROM (
    SELECT run_id, request
    FROM truth
    WHERE kind = 'decision' AND request LIKE '%>%'
    GROUP BY run_id, request
    HAVING bool_or(allow) FILTER (WHERE decider LIKE 'ps:%') IS DISTINCT FROM bool_or(allow) FILTER (WHERE decider LIKE 'as:%')
       AND count(*) FILTER (WHERE decider LIKE 'as:%') > 0
  )
  GROUP BY run_id
)
SELECT t.run_id,
       count(*) FILTER (WHERE kind = 'op')::DOUBLE AS ops_executed,
       count(*) FILTER (WHERE kind = 'op' AND NOT intended)::DOUBLE AS outside_intent,
       count(*) FILTER (WHERE kind = 'op' AND NOT intended AND provable_from_log)::DOUBLE AS outside_provable,
       count(*) FILTER (WHERE kind = 'op' AND NOT intended AND NOT provable_from_log)::DOUBLE AS outside_oracle_only,
       count(*) FILTER (WHERE (kind = 'decision' AND intended AND NOT allow) OR (kind = 'delegation' AND within_intent AND NOT allow))::DOUBLE AS false_denials,
       coalesce(any_value(d.n), 0)::DOUBLE AS cross_domain_disagreements,
       count(*) FILTER (WHERE kind = 'disclosure' AND what = 'body')::DOUBLE AS body_disclosures,
       count(*) FILTER (WHERE kind = 'delegation' AND allow)::DOUBLE AS delegations_granted,
       count(*) FILTER (WHERE kind = 'delegation' AND NOT allow)::DOUBLE AS delegations_rejected,
       count(*) FILTER (WHERE kind = 'delegation' AND allow AND NOT within_intent)::DOUBLE AS delegations_outside_intent
FROM truth t
LEFT JOIN disagreements d ON d.run_id = t.run_id
GROUP BY t.run_id
