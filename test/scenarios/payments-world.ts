/**
 * YAML pieces of the -11 worlds several scenario tests share: a payments
 * resource, a parent agent's mission to pay invoices (approved and
 * intended as the same grant), and its sub-agent `helper` (without its
 * plan). Each is indented for its place in a scenario document.
 */

/** One entry of `topology.resources`. */
export const PAYMENTS_RESOURCE = `    - id: payments.example
      queue: { servers: 1, service: const(300ms) }
      operations: [{ name: charge, class: payments, action: transfer }]`;

/** An agent's `mission` (under `agents`). */
export const PAY_INVOICES_MISSION = `    mission:
      description: Pay invoices.
      scope: [payments.example/charge]
      approved: { grants: [{ class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }
      intent: { grants: [{ class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }`;

/** The sub-agent `helper` of `boss` (person dana, ps.example), from 5m, with the payments grant: an entry of `agents`, its plan to follow. */
export const HELPER_SUB_AGENT = `  - id: helper
    person: dana
    ps: ps.example
    parent: boss
    task: Pay one invoice.
    start: 5m
    grant: { grants: [{ class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }`;
