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
 * `person`; nearly always the slot itself). A key no plan step has (a
 * drift step's) is held in its runtime's map instead, as before the slots,
 * so that emptying the tokens lets go of it. Under `token_cache: shared`
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
  /** What holds the auth token of this step's key (another runtime's, under `token_cache: shared`). */
  private holder: TokenHolder;
  /** What holds the person token of this step's person key. */
  readonly person: TokenHolder;

  /**
   * `planned`: a step of the plan, made with the agent (a drift step's slot
   * lives only while it is performed). Not kept: only plan slots are ever
   * moved to another cache (holdAuthTokensIn), 8 B less per slot.
   */
  constructor(
    readonly step: PlannedStep,
    authTokens: TokenHolders,
    personTokens: TokenHolders,
    planned = true,
  ) {
    this.holder = authTokens.holder(step.key, this, planned);
    this.person = personTokens.holder(step.personKey, this, planned);
  }

  /** What holds the auth token of this step's key. */
  get auth(): TokenHolder {
    return this.holder;
  }

  /** `token_cache: shared` (a plan slot): the auth token is held in another cache (its provider's), which both runtimes fill and empty. */
  holdAuthTokensIn(authTokens: TokenHolders): void {
    this.holder = authTokens.holder(this.step.key, this, true);
  }

  /** The step's fixed time and think time, read as a governance step's are (Agent's plan loop). */
  get at(): number | undefined {
    return this.step.at;
  }

  get after(): Distribution | undefined {
    return this.step.after;
  }
}

/** How a step ended: its call executed, it was given up (refused, recalled, blocked), or its mission ended. */
export type StepOutcome = 'done' | 'skipped' | 'stop';

/** Where a key's token is held: a slot of the plan, or an entry of the runtime's map (KeyEntry). */
export interface TokenHolder {
  authToken: Token | undefined;
  personToken: Token | undefined;
}

/**
 * The holders of a runtime's tokens of one kind, by key: the first plan
 * slot made with a key holds its token for every slot with that key; a key
 * no plan slot has is an entry of a map. Emptying them is what emptying a
 * map of tokens was, and lets go of the keys only drift steps used (plausible
 * drift makes a new key per drifted call).
 *
 * The holder slots are a small array sized to the plan, searched by key:
 * a plan has a few keys, and a key is looked up only when a slot is made
 * (with the agent, or for a drift step), never per call. Two Maps per
 * kind (holders and loose keys) were about 740 B per agent, some 22 MB of
 * a 30,000-agent world; the map of loose keys is made only by a runtime
 * that drifts.
 */
export class TokenHolders {
  private readonly holders: StepSlot[];
  private count = 0;
  private loose: Map<string, Token> | undefined = undefined;

  /** `planSlots`: how many slots the plan has (the most keys its own slots can bring; more only grow the array). */
  constructor(
    private readonly kind: 'authToken' | 'personToken',
    planSlots = 0,
  ) {
    this.holders = new Array<StepSlot>(planSlots);
  }

  /** The holder of `key`'s token: `slot` itself if it is the first plan slot with the key. */
  holder(key: string, slot: StepSlot, planned: boolean): TokenHolder {
    const holders = this.holders;
    const byPerson = this.kind === 'personToken';
    for (let i = 0; i < this.count; i++) {
      const holder = holders[i] as StepSlot;
      if ((byPerson ? holder.step.personKey : holder.step.key) === key) return holder;
    }
    if (!planned) {
      this.loose ??= new Map();
      return new KeyEntry(this.loose, key);
    }
    holders[this.count++] = slot;
    return slot;
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) (this.holders[i] as StepSlot)[this.kind] = undefined;
    this.loose?.clear();
  }

  /** How many keys are held (plan slots' and map entries'), for the tests of what emptying lets go of. */
  get size(): number {
    return this.count + (this.loose?.size ?? 0);
  }
}

/** A key's token in a map (a key no plan step has): read and written as a slot's, whichever kind it is. */
class KeyEntry implements TokenHolder {
  constructor(
    private readonly tokens: Map<string, Token>,
    private readonly key: string,
  ) {}

  get authToken(): Token | undefined {
    return this.tokens.get(this.key);
  }

  set authToken(token: Token | undefined) {
    if (token === undefined) this.tokens.delete(this.key);
    else this.tokens.set(this.key, token);
  }

  get personToken(): Token | undefined {
    return this.authToken;
  }

  set personToken(token: Token | undefined) {
    this.authToken = token;
  }
}
