import { nameOf, type CallView, type LogContext, type MapResult } from './call-view.ts';
import { mapToAccessServer } from './map-access-server.ts';
import { mapToParent } from './map-parent.ts';
import { mapPersonAct } from './map-person.ts';
import { mapToPersonServer } from './map-person-server.ts';
import { mapToResource } from './map-resource.ts';

/**
 * Maps one call to this project's events, or says why it cannot. The
 * classification reads what the reference logs (roles, status, parsed AAuth
 * headers, bodies with tokens as claims), never our exporter's paths, so a
 * deployment's own endpoint names work. See docs/aauth-call.md for the table.
 */
export function mapCall(view: CallView, context: LogContext): MapResult {
  if (view.call.person) return mapPersonAct(view, context);
  const toRole = view.toRole;
  if (toRole === 'ps') return mapToPersonServer(view, context);
  if (toRole === 'as') return mapToAccessServer(view, context);
  if (toRole === 'resource') return mapToResource(view, context);
  if (toRole === undefined) return { unmapped: `no callee role, so no AAuth meaning (${view.method} ${nameOf(view.to)}${view.path})` };
  if (toRole === 'agent' && view.fromRole === 'agent') return mapToParent(view, context);
  return { unmapped: `a call to an agent has no event in the catalogue (${view.method} ${nameOf(view.to)}${view.path})` };
}
