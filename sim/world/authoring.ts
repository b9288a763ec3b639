import { authorText, authoringErrorModel } from '../authority/authoring.ts';
import type { CompilationError } from '../authority/compilation.ts';
import { envelopeJson, type Envelope } from '../authority/envelope.ts';
import { envelopeS256 } from '../authority/projection.ts';
import { envelopeDef, envelopeFromDef, renderScope, type OperationIndex } from '../authority/renderings.ts';
import type { CompiledAgent, ProposedMission } from '../scenario/compile.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { DeclaredIntentReader } from '../truth/intent-leak.ts';
import type { WorldContext } from './context.ts';

/**
 * The authoring step: the one place the true intent is read outside the
 * oracle, because here it is legitimately known: the person who meant the
 * mission writes it. For each root agent whose mission declares an
 * `intent` (or states its `written` text), the person writes what the
 * mission text says (an envelope; `authority.authoring` errors drawn from
 * `person:<id>/authoring/<agent>`) and, without a `scope`, the scope list
 * rendered from that text. The output is logged (`mission.authored`, at t 0,
 * before any agent starts) and is all any party ever sees: the agent
 * proposes it, the PS and the AS decide from it. The oracle records where
 * it differs from the intent (a `policy` truth record, source `authored`).
 * A mission that states only a scope has nothing to author: its scope is
 * what was written, and its text says exactly that scope.
 */
export function authorMissions(
  ctx: WorldContext,
  spec: Scenario,
  agents: Iterable<CompiledAgent>,
  ops: OperationIndex,
  intents: DeclaredIntentReader,
): Map<string, ProposedMission> {
  const model = authoringErrorModel(spec.authority);
  const authored = new Map<string, ProposedMission>();
  for (const { def, mission } of agents) {
    if (mission === undefined) continue;
    const intent = intents.trueIntent(def.id);
    const person = `person:${def.person}`;
    let text: Envelope;
    let errors: CompilationError[] = [];
    if (mission.written !== undefined) text = envelopeFromDef(mission.written);
    else if (intent?.source === 'declared') ({ text, errors } = authorText(intent.intent, model, ctx.stream(`${person}/authoring/${def.id}`)));
    // A mission that states only its scope: the scope is what was written.
    else continue;
    const scope = mission.scope ?? renderScope(text, ops);
    ctx.record('mission.authored', null, person, { agent: def.id, scope: [...scope], text: envelopeJson(text), text_sha256: envelopeS256(text) });
    ctx.truth.policy(
      { kind: 'policy', mission: null, agent: def.id, decider: person, model: 'authoring', source: 'authored', compilation_errors: errors },
      text,
    );
    authored.set(def.id, Object.freeze({ ...mission, scope, written: envelopeDef(text) }));
  }
  return authored;
}
