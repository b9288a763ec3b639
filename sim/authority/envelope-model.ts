import { compileEnvelope, evaluate, type CompiledEnvelope } from './cedar.ts';
import type { Envelope } from './envelope.ts';
import type { AuthorityModel, AuthorityRequest, Decision } from './model.ts';
import { isSubset } from './subset.ts';

/**
 * `envelope`: the Mission Authority Model. Each grant is compiled to Cedar
 * once (by grant id) and every decision is Cedar's; a delegation is minted
 * only if the child grant is a subset of the parent's, decided with Cedar
 * too, and refused with the reason otherwise.
 */
export class EnvelopeModel implements AuthorityModel {
  readonly name = 'envelope' as const;
  private readonly compiled = new Map<string, CompiledEnvelope>();
  /** Cedar's answers, by grant and request: Cedar is pure (no I/O, no clock), so an answer can be reused. */
  private readonly answers = new Map<string, Decision>();

  constructor(private readonly memo = true) {}

  compile(id: string, envelope: Envelope): CompiledEnvelope {
    let compiled = this.compiled.get(id);
    if (!compiled) {
      compiled = compileEnvelope(envelope);
      this.compiled.set(id, compiled);
    }
    return compiled;
  }

  decide({ grant, grantId, op }: AuthorityRequest): Decision {
    const compiled = this.compile(grantId, grant);
    // Keyed by the policy set's content hash: equal grants (every mission of a template) share answers.
    const key = this.memo
      ? `${compiled.id}|${op.resource}|${op.operation}|${op.class}|${op.action}|${op.stage ?? ''}|${op.depth}|${JSON.stringify(op.args)}`
      : '';
    const known = this.memo ? this.answers.get(key) : undefined;
    if (known) return known;
    const verdict = evaluate(compiled, op);
    const decision = { allow: verdict.allow, reason: verdict.allow ? `inside envelope: ${verdict.reason}` : `outside envelope: ${verdict.reason}` };
    if (this.memo) this.answers.set(key, decision);
    return decision;
  }

  delegate(parent: Envelope, parentId: string, child: Envelope, childId: string): Decision {
    const answer = isSubset(child, this.compile(childId, child), parent, this.compile(parentId, parent));
    return answer.subset ? { allow: true, reason: 'child grant is a subset of the parent grant' } : { allow: false, reason: answer.reason };
  }
}
