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

  compile(id: string, envelope: Envelope): CompiledEnvelope {
    let compiled = this.compiled.get(id);
    if (!compiled) {
      compiled = compileEnvelope(envelope);
      this.compiled.set(id, compiled);
    }
    return compiled;
  }

  decide({ grant, grantId, op }: AuthorityRequest): Decision {
    const verdict = evaluate(this.compile(grantId, grant), op);
    return { allow: verdict.allow, reason: verdict.allow ? `inside envelope: ${verdict.reason}` : `outside envelope: ${verdict.reason}` };
  }

  delegate(parent: Envelope, parentId: string, child: Envelope, childId: string): Decision {
    const answer = isSubset(child, this.compile(childId, child), parent, this.compile(parentId, parent));
    return answer.subset ? { allow: true, reason: 'child grant is a subset of the parent grant' } : { allow: false, reason: answer.reason };
  }
}
