import { authorText, authoringErrorModel } from '../authority/authoring.ts';
import type { CompilationError } from '../authority/compilation.ts';
import { envelopeJson, type Envelope } from '../authority/envelope.ts';
import { envelopeS256 } from '../authority/projection.ts';
import { envelopeDef, envelopeFromDef, renderScope, type OperationIndex } from '../authority/renderings.ts';
import type { Rng } from '../engine/random.ts';
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
 * rendered from that text. When the agent's PS runs the `envelope` model
 * the person also writes the approved envelope that PS compiles (from the
 * scenario's `approved`, a template they fill in, else from the intent),
 * with errors from the same model and stream, drawn after the text's. The
 * output is logged (`mission.authored`, at t 0, before any agent starts;
 * `approved` only where it differs from the text) and is all any party
 * ever sees: the agent proposes it, the PS and the AS decide from it. The
 * oracle records where each differs from the intent (`policy` truth
 * records, source `authored` and `authored-approved`). A mission that
 * states only a scope has nothing to author: its scope is what was
 * written, and its text says exactly that scope.
 */
export function authorMissions(
  ctx: WorldContext,
  spec: Scenario,
  agents: Iterable<CompiledAgent>,
  ops: OperationIndex,
  intents: DeclaredIntentReader,
): Map<string, ProposedMission> {
  const model = authoringErrorModel(spec.authority);
  const envelopePs = new Set((spec.topology.person_servers ?? []).filter((ps) => ps.authority === 'envelope').map((ps) => ps.id));
  const authored = new Map<string, ProposedMission>();
  for (const { def, mission } of agents) {
    if (mission === undefined) continue;
    const intent = intents.trueIntent(def.id);
    const person = `person:${def.person}`;
    let text: Envelope;
    let errors: CompilationError[] = [];
    // Drawn only when something is written from the intent: a stated text (or envelope) is what was written.
    let rng: Rng | undefined;
    if (mission.written !== undefined) text = envelopeFromDef(mission.written);
    else if (intent?.source === 'declared') {
      rng = ctx.stream(`${person}/authoring/${def.id}`);
      ({ text, errors } = authorText(intent.intent, model, rng));
    }
    // A mission that states only its scope: the scope is what was written.
    else continue;
    const scope = mission.scope ?? renderScope(text, ops);
    const approved = envelopePs.has(def.ps) ? authorApproved(mission, text, intent?.intent, model, rng) : undefined;
    // The approved envelope is logged only where it is not the text itself, so a mission whose envelope is its text logs as before.
    const differs = approved !== undefined && envelopeS256(approved.envelope) !== envelopeS256(text);
    ctx.record('mission.authored', null, person, {
      agent: def.id,
      scope: [...scope],
      text: envelopeJson(text),
      text_sha256: envelopeS256(text),
      ...(differs ? { approved: envelopeJson(approved.envelope), approved_sha256: envelopeS256(approved.envelope) } : {}),
    });
    ctx.truth.policy(
      { kind: 'policy', mission: null, agent: def.id, decider: person, model: 'authoring', source: 'authored', compilation_errors: errors },
      text,
    );
    if (approved) {
      ctx.truth.policy(
        {
          kind: 'policy',
          mission: null,
          agent: def.id,
          decider: person,
          model: 'authoring',
          source: 'authored-approved',
          compilation_errors: approved.errors,
        },
        approved.envelope,
      );
    }
    authored.set(def.id, Object.freeze({ ...mission, scope, written: envelopeDef(text), ...(approved ? { approved: envelopeDef(approved.envelope) } : {}) }));
  }
  return authored;
}

/**
 * The approved envelope an `envelope` PS compiles, as the person writes it:
 * the scenario's `approved` (a template, e.g. the organisation's) or, without
 * one, the intent, each through the authoring error model (one draw per error
 * site whatever the rates, after the text's draws on the same stream). A
 * scenario that states the text (`written`) states what was written: nothing
 * is drawn, and the approved envelope is the stated `approved`, else the text.
 */
function authorApproved(
  mission: ProposedMission,
  text: Envelope,
  intent: Envelope | undefined,
  model: ReturnType<typeof authoringErrorModel>,
  rng: Rng | undefined,
): { envelope: Envelope; errors: CompilationError[] } {
  const template = mission.approved !== undefined ? envelopeFromDef(mission.approved) : undefined;
  // Nothing drawn (a stated text), or nothing to write from: what is stated is what was written.
  const from = template ?? intent;
  if (rng === undefined || from === undefined) return { envelope: template ?? text, errors: [] };
  const { text: envelope, errors } = authorText(from, model, rng);
  return { envelope, errors };
}
