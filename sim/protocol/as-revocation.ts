import type { ActorContext } from '../context/actor-context.ts';
import type { MissionRecord } from './mission-record.ts';
import type { Profile } from './profiles.ts';
import { RevocationSender } from './revocation-sender.ts';
import type { RevocationTarget } from './revocation-target.ts';
import type { Token } from './tokens.ts';
import type { AccessServerRevocationEndpoint, DownstreamEntry } from './as-revocation-endpoint.ts';

/**
 * aauth-latest, four-party: the auth tokens an Access Server issued are
 * revoked by that AS, not by the PS that relayed them. The PS calls the
 * AS's revocation endpoint with the token's {jti, exp}; the AS revokes it at
 * the resource of its domain (its own revocation calls, logged as the AS's)
 * and answers with its `downstream` list: each recipient and what the AS
 * knows of it, so the PS learns the exposure it cannot see itself. The AS
 * answers at once; the PS does not poll the AS (docs/profiles.md).
 */
export class AccessServerRevocation {
  private readonly sender: RevocationSender;

  constructor(
    ctx: ActorContext,
    actor: string,
    profile: Profile,
    /** The revocation endpoints of the resources in this AS's domain, by resource id. */
    private readonly resources: ReadonlyMap<string, RevocationTarget>,
  ) {
    this.sender = new RevocationSender(ctx, actor, profile, resources, ctx.stream(`${actor}/revocation`));
  }

  revoke(token: Token, recallAll: boolean): DownstreamEntry[] {
    const resource = this.resources.get(token.aud ?? '');
    if (!resource) return [];
    const mode = resource.revocation.mode;
    // The AS's own termination record: its revocations of this mission's tokens (its cascade poller keys on it).
    const record = { s256: token.mission, agent: token.agent } as MissionRecord;
    this.sender.revokeMission(record, [token], recallAll);
    const outcome: DownstreamEntry['outcome'] =
      mode === 'push' ? 'sent' : mode === 'events' ? 'event' : mode === 'none' ? 'revocation_unsupported' : 'status_checked';
    return [{ to: resource.id, jti: token.jti, outcome, ...(mode === 'none' ? { exposed_until: token.exp } : {}) }];
  }
}
