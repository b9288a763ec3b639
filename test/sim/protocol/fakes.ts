/** Hand-made stand-ins for protocol unit tests: a revocation endpoint, tokens, a scripted random stream. */
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import type { Simulation } from '../../../sim/engine/simulation.ts';
import type { CascadeStatus, RevocationConfig, RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
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
  cascadeRevoke(token: Token, recallAll: boolean): CascadeStatus {
    this.calls.push(`${this.sim.now} cascade ${token.jti}${recallAll ? ' recall' : ''}`);
    return this.answer();
  }
  cascadeStatus(jti: string): CascadeStatus {
    this.calls.push(`${this.sim.now} poll ${jti}`);
    return this.answer();
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
