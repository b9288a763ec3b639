import { toolName, type AuthorityModel, type AuthorityRequest, type Decision } from './model.ts';

/** `tools`: approved_tools, a permission set by tool name only (no classes, bounds or stages). */
export class ToolsModel implements AuthorityModel {
  readonly name = 'tools' as const;

  decide({ mission, op }: AuthorityRequest): Decision {
    const tool = toolName(op.resource, op.operation);
    if (mission.tools.has(tool)) return { allow: true, reason: `tool ${tool} approved` };
    return { allow: false, reason: `tool ${tool} not approved` };
  }

  delegate(): Decision {
    return { allow: true, reason: 'a tool list carries no subset semantics: delegation recorded, not checked' };
  }
}
