import type { ActorContext } from '../context/actor-context.ts';
import type { MissionRecord } from './mission-record.ts';
import type { Profile } from './profiles.ts';
import { RevocationSender } from './revocation-sender.ts';
import type { RevocationTarget } from './revocation-target.ts';
import type { Token } from './tokens.ts';
import type { DownstreamEntry } from './as-revocation-endpoint.ts';

/**
 * aauth-latest, four-party: the PS that relayed an AS-issued auth token
 * revokes it at the resource itself (-11) and also notifies the AS (-11's
 * "MAY"). The notified AS revokes the token at the resource of its domain
 * (its own revocation calls, logged as the AS's) and answers once it has
 * that resource's answer: its `downstream` list, each outcome taken from
 * the answer the AS actually got (or the lack of one), never from the
 * resource's configured mode. The PS does not poll the AS.
 */
export class AccessServerRevocation {
  private readonly sender: RevocationSender;
  /** The AS's answers still waiting for a recipient's answer, by jti (a duplicate notice waits for the same revocation). */
  private readonly waiting = new Map<string, Array<(entry: DownstreamEntry) => void>>();

  constructor(
    ctx: ActorContext,
    actor: string,
    profile: Profile,
    /** The revocation endpoints of the resources in this AS's domain, by resource id. */
    private readonly resources: ReadonlyMap<string, RevocationTarget>,
  ) {
    this.sender = new RevocationSender(ctx, actor, profile, resources, ctx.stream(`${actor}/revocation`), new Map(), (entry) => {
      const answers = this.waiting.get(entry.jti) ?? [];
      this.waiting.delete(entry.jti);
      for (const answer of answers) answer(entry);
    });
  }

  /** Revokes a token this AS issued at its resource; `reply` gets the downstream list once the resource's outcome is known. */
  revoke(token: Token, reply: (downstream: DownstreamEntry[]) => void): void {
    if (!this.resources.has(token.aud ?? '')) return reply([]);
    // A notice sent again (its answer was lost, or a second PS) while the revocation is under way: one revocation, both answered.
    const pending = this.waiting.get(token.jti);
    if (pending) return void pending.push((entry) => reply([entry]));
    this.waiting.set(token.jti, [(entry) => reply([entry])]);
    // The AS's own termination record: its revocations of this mission's tokens (its cascade poller keys on it).
    const record = { s256: token.mission, agent: token.agent } as MissionRecord;
    this.sender.revokeMission(record, [token], false);
  }
}
