-- lifecycle: per design, the costs of a person's pause (run_lifecycle)
-- averaged over the runs that had one: operations executed while paused
-- (exposure) and the irreversible ones, operations executed over the whole
-- run (work done), workflows abandoned and work recalled (work lost),
-- re-approvals, the delay from the person's resume to work resuming, and the
-- token requests refused during the pause (Person Server load).
SELECT r.design,
       count(*)::DOUBLE AS runs,
       avg(l.paused_s) AS paused_s,
       avg(l.ops_during_pause) AS ops_during_pause,
       avg(l.irreversible_during_pause) AS irreversible_during_pause,
       avg(l.ops_executed) AS ops_executed,
       avg(l.workflows_abandoned) AS workflows_abandoned,
       avg(l.ops_recalled) AS ops_recalled,
       avg(l.re_approvals) AS re_approvals,
       avg(l.resume_delay_s) AS resume_delay_s,
       avg(l.refusals_during_pause) AS refusals_during_pause
FROM run_lifecycle l
JOIN runs r ON r.run_id = l.run_id
GROUP BY r.design
ORDER BY min(r.design_index)
