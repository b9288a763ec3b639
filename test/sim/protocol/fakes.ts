/** Hand-made stand-ins for protocol unit tests: a revocation endpoint, tokens, a scripted random stream. */
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import type { Simulation } from '../../../sim/engine/simulation.ts';
import {
  endpointDown,
  REVOKED,
  UNAVAILABLE,
  UNSUPPORTED,
  type CascadeAnswer,
  type CascadeStatus,
  type RevocationAnswer,
  type RevocationCall,
  type RevocationConfig,
  type RevocationTarget,
} from '../../../sim/protocol/revocation-target.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';

/** A revocation endpoint that notes, with the time, every call a PS makes to it and answers the cascade from a script. */
export class FakeRevocationTarget implements RevocationTarget {
  readonly actor: string;
  readonly calls: string[] = [];
  readonly revocation: RevocationConfig;

  constructor(
    private readonly sim: Simulation,
    readonly id: string,
    config: Partial<RevocationConfig> & { mode: RevocationConfig['mode'] },
    /** What cascadeRevoke, then each cascadeStatus poll, answers (the last answer repeats). */
    private readonly answers: CascadeStatus[] = [200],
  ) {
    this.actor = `resource:${id}`;
    this.revocation = {
      latency: parseDistribution('const(10ms)', 'duration'),
      loss: 0,
      retries: 0,
      retryInterval: 1_000_000,
      retryAfter: 500_000,
      cacheTtl: 0,
      outages: [],
      ...config,
    };
  }

  private answer(): CascadeStatus {
    return (this.answers.length > 1 ? this.answers.shift() : this.answers[0]) as CascadeStatus;
  }

  receiveRevocation(token: Token, via: 'push' | 'events', recallAll?: boolean): void {
    this.calls.push(`${this.sim.now} revoke ${token.jti} via ${via}${recallAll ? ' recall' : ''}`);
  }
  receiveSuspension(token: Token, suspended: boolean): void {
    this.calls.push(`${this.sim.now} ${suspended ? 'suspend' : 'resume'} ${token.jti}`);
  }
  receiveCancellation(mission: string, tokens: Token[]): void {
    this.calls.push(`${this.sim.now} cancel ${mission} ${tokens.map((token) => token.jti).join(',')}`);
  }
  /**
   * Answers as a resource of its mode would: no revocation endpoint (mode
   * other than push) 403 revocation_unsupported; down 503; else, for a
   * call with exp (r11 on) the scripted cascade answer, for one without
   * (r01) it revokes and answers 200. `script`: answers given instead, in
   * order (a stand-in that answers what its configuration would not).
   */
  answerRevocation(call: RevocationCall): RevocationAnswer {
    const scripted = this.script.shift();
    if (scripted) {
      this.calls.push(`${this.sim.now} answer ${call.token.jti} ${scripted.status}`);
      return scripted;
    }
    if (this.revocation.mode !== 'push') {
      this.calls.push(`${this.sim.now} unsupported ${call.token.jti}`);
      return UNSUPPORTED;
    }
    if (endpointDown(this.revocation, this.sim.now)) return UNAVAILABLE;
    if (!call.carriesExp) {
      this.receiveRevocation(call.token, 'push', call.recallAll);
      return REVOKED;
    }
    this.calls.push(`${this.sim.now} cascade ${call.token.jti}${call.recallAll ? ' recall' : ''}`);
    return this.onWire(this.answer());
  }

  /** Answers `answerRevocation` gives first, whatever the configuration says. */
  readonly script: RevocationAnswer[] = [];
  cascadeStatus(jti: string): CascadeAnswer {
    this.calls.push(`${this.sim.now} poll ${jti}`);
    return this.onWire(this.answer());
  }

  /** A 202 carries this endpoint's Retry-After. */
  private onWire(status: CascadeStatus): CascadeAnswer {
    return status === 200 ? { status } : { status, retryAfter: this.revocation.retryAfter };
  }
}

/** A token of mission `m` bound to agent `a`, for one resource. */
export function tokenFor(jti: string, resource: string, extra: Partial<Token> = {}): Token {
  return { kind: 'auth', jti, iss: 'ps:home', aud: resource, agent: 'agent:a', scope: 'x', mission: 'm', iat: 0, exp: 3_600_000_000, ...extra };
}

/** A random stream that returns the given draws, then 0.99 forever. */
export function scripted(draws: number[]): () => number {
  const left = [...draws];
  return () => left.shift() ?? 0.99;
}
