import type { Distribution } from '../engine/distribution.ts';
import type { Link } from './network.ts';
import type { PlannedStep } from './planned-step.ts';
import type { Token } from './tokens.ts';

/**
 * One agent's hold on one step of its plan: the step (shared with every
 * agent whose plan holds an equal one), its link to the resource, and the
 * tokens it calls with. An agent steps about every 30 s of simulated time,
 * so in a large world all its state has left the CPU's caches by its next
 * step: three lookups by string in maps (auth tokens, person tokens,
 * links) touched about nine cold objects per step; the slot holds the same
 * things itself.
 *
 * Tokens are kept per step key (auth) and per person key (resource and
 * mission), and several steps can share a key: each token lives on the
 * first slot made for its key (its holder, found through `auth` and
 * `person`; nearly always the slot itself). Under `token_cache: shared`
 * a runtime's slots take their auth-token holders from its provider's
 * cache (Agent.shareTokensOf): both runtimes fill and empty the same.
 */
export class StepSlot {
  /** The link to the step's resource (the agent's own, from Network.outgoing; kept on first use). */
  link: Link | undefined = undefined;
  /** The auth token held for this slot's key, when this slot is its holder: read and written through `auth`. */
  authToken: Token | undefined = undefined;
  /** aauth-r11: the person token held for this slot's person key, when it is its holder: read and written through `person`. */
  personToken: Token | undefined = undefined;
  /** The slot that holds the auth token of this step's key (another runtime's, under `token_cache: shared`). */
  private holder: StepSlot;
  /** The slot that holds the person token of this step's person key. */
  readonly person: StepSlot;

  constructor(
    readonly step: PlannedStep,
    authTokens: TokenHolders,
    personTokens: TokenHolders,
  ) {
    this.holder = authTokens.holder(step.key, this);
    this.person = personTokens.holder(step.personKey, this);
  }

  /** The slot that holds the auth token of this step's key. */
  get auth(): StepSlot {
    return this.holder;
  }

  /** `token_cache: shared`: the auth token is held in another cache (its provider's), which both runtimes fill and empty. */
  holdAuthTokensIn(authTokens: TokenHolders): void {
    this.holder = authTokens.holder(this.step.key, this);
  }

  /** The step's fixed time and think time, read as a governance step's are (Agent's plan loop). */
  get at(): number | undefined {
    return this.step.at;
  }

  get after(): Distribution | undefined {
    return this.step.after;
  }
}

/**
 * The slots that hold a runtime's tokens of one kind, by key: the first
 * slot made with a key holds its token for every slot with that key.
 * Emptying them is what emptying a map of tokens was.
 */
export class TokenHolders {
  private readonly holders = new Map<string, StepSlot>();

  constructor(private readonly kind: 'authToken' | 'personToken') {}

  /** The holder of `key`'s token: `slot` itself if it is the first with the key. */
  holder(key: string, slot: StepSlot): StepSlot {
    let holder = this.holders.get(key);
    if (!holder) {
      holder = slot;
      this.holders.set(key, holder);
    }
    return holder;
  }

  clear(): void {
    for (const holder of this.holders.values()) holder[this.kind] = undefined;
  }
}
