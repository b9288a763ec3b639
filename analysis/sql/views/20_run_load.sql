-- run_load: one row per run: the load the control plane and the people carried.
--   duration_s           the run's simulated horizon (an ingested log: its own span)
--   ps_token_requests    auth-token requests the Person Servers answered (granted,
--                        denied, or refused as overloaded)
--   ps_token_rps         ps_token_requests per simulated second
--   ps_peak_rps          the busiest one-second bucket of PS token requests
--   ps_load_rps          everything the Person Servers answered per second: token
--                        requests plus the token status checks of introspecting
--                        and caching resources (the budget the architect sizes)
--   as_token_requests    federated requests the Access Servers received; as_token_rps per second
--   revocation_calls     revocation endpoint calls the PS made (retries included)
--   status_checks        token status checks resources made (introspection, cache misses)
--   approvals            missions approved
--   person_interactions  times a person was asked: approvals deferred to them and
--                        clarification rounds
CREATE OR REPLACE VIEW run_load AS
WITH counts AS (
  SELECT run_id,
         count(*) FILTER (WHERE type IN ('token.auth_granted', 'token.auth_denied', 'ps.overloaded')) AS ps_token_requests,
         count(*) FILTER (WHERE type = 'federation.received') AS as_token_requests,
         count(*) FILTER (WHERE type = 'revocation.sent') AS revocation_calls,
         count(*) FILTER (WHERE type = 'revocation.status_check') AS status_checks,
         count(*) FILTER (WHERE type = 'mission.approved') AS approvals,
         count(*) FILTER (WHERE type IN ('person.asked', 'mission.clarification')) AS person_interactions,
         (max(t) - min(t)) / 1e6 AS span_s
  FROM events
  GROUP BY run_id
),
peaks AS (
  SELECT run_id, max(requests) AS ps_peak_rps
  FROM (
    SELECT run_id, t // 1000000 AS second, count(*) AS requests
    FROM events
    WHERE type IN ('token.auth_granted', 'token.auth_denied', 'ps.overloaded')
    GROUP BY run_id, second
  )
  GROUP BY run_id
)
SELECT r.run_id,
       coalesce(r.horizon_s, c.span_s) AS duration_s,
       c.ps_token_requests::DOUBLE AS ps_token_requests,
       c.ps_token_requests / nullif(coalesce(r.horizon_s, c.span_s), 0) AS ps_token_rps,
       coalesce(p.ps_peak_rps, 0)::DOUBLE AS ps_peak_rps,
       (c.ps_token_requests + c.status_checks) / nullif(coalesce(r.horizon_s, c.span_s), 0) AS ps_load_rps,
       c.as_token_requests::DOUBLE AS as_token_requests,
       c.as_token_requests / nullif(coalesce(r.horizon_s, c.span_s), 0) AS as_token_rps,
       c.revocation_calls::DOUBLE AS revocation_calls,
       c.status_checks::DOUBLE AS status_checks,
       c.approvals::DOUBLE AS approvals,
       c.person_interactions::DOUBLE AS person_interactions
FROM runs r
JOIN counts c ON c.run_id = r.run_id
LEFT JOIN peaks p ON p.run_id = r.run_id
