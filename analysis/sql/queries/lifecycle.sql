-- lifecycle: per run, what the mission lifecycle cost: work lost to terminations, operations run during a pause (exposure), re-approvals, time to resume after a pause, resume latency after a runtime crash, person interruptions, cancellation roll-backs.
SELECT r.run_id, r.design, r.seed::DOUBLE AS seed, l.work_lost, l.exposure_ops, l.reapprovals, l.time_to_resume_s,
       l.crash_resume_s, l.person_interruptions, l.rolled_back, l.not_rollbackable
FROM run_lifecycle l
JOIN runs r USING (run_id)
ORDER BY r.run_index
