-- lifecycle: per design, the mean over its runs of run_lifecycle (runs with a
-- pause, cancellation, completion, time-out, re-proposal or crash): exposure
-- while paused, work done and lost, abandoned workflows, re-approvals, time
-- to resume after a pause and after a crash, roll-backs, and the polling a
-- pause put on the Person Server; with the person's load from run_load.

-- Means and deviations aggregate in value order (ORDER BY inside the call): floating-point
-- sums then do not depend on how DuckDB split the rows between threads, so the same runs
-- give the same bytes however often and with however many threads they are analysed.
SELECT r.design,
       count(*)::DOUBLE AS runs,
       avg(l.paused_s ORDER BY l.paused_s) AS paused_s,
       avg(l.ops_during_pause ORDER BY l.ops_during_pause) AS ops_during_pause,
       avg(l.irreversible_during_pause ORDER BY l.irreversible_during_pause) AS irreversible_during_pause,
       avg(l.ops_executed ORDER BY l.ops_executed) AS ops_executed,
       avg(l.work_lost ORDER BY l.work_lost) AS work_lost,
       avg(l.workflows_abandoned ORDER BY l.workflows_abandoned) AS workflows_abandoned,
       avg(l.re_approvals ORDER BY l.re_approvals) AS re_approvals,
       avg(l.time_to_resume_s ORDER BY l.time_to_resume_s) AS time_to_resume_s,
       avg(l.crash_resume_s ORDER BY l.crash_resume_s) AS crash_resume_s,
       avg(l.rolled_back ORDER BY l.rolled_back) AS rolled_back,
       avg(l.not_rollbackable ORDER BY l.not_rollbackable) AS not_rollbackable,
       avg(l.refusals_during_pause ORDER BY l.refusals_during_pause) AS refusals_during_pause,
       avg(d.person_interactions ORDER BY d.person_interactions) AS person_interactions
FROM run_lifecycle l
JOIN runs r ON r.run_id = l.run_id
JOIN run_load d ON d.run_id = l.run_id
GROUP BY r.design
ORDER BY min(r.design_index)
