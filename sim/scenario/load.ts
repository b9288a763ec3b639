import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { applyOverrides, parseOverride, type Override } from './overrides.ts';
import { ScenarioError, type ScenarioProblem } from './problems.ts';
import { checkReferences } from './references.ts';
import type { Scenario } from './schema.ts';
import { validateAgainstSchema, type SourceMap } from './validate.ts';

/** A scenario that passed every check, with what identifies it. */
export interface LoadedScenario {
  file: string;
  /** SHA-256 (hex) of the file's bytes as read. */
  sha256: string;
  overrides: string[];
  spec: Scenario;
}

/**
 * Reads, overrides and validates a scenario. Throws ScenarioError listing
 * every problem (schema, references) with file, line:column and path.
 */
export function loadScenario(file: string, overrideTexts: readonly string[] = []): LoadedScenario {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((cause as Error).message);
    throw new ScenarioError([{ file, line: 0, column: 0, path: '', expected: 'a readable scenario file', found: reason }]);
  }
  const text = bytes.toString('utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source: SourceMap = { file, doc, lines };

  const syntax: ScenarioProblem[] = doc.errors.map((error) => {
    const position = lines.linePos(error.pos[0]);
    const message = error.message.split('\n')[0] ?? error.code;
    // The usual cause: `choice(1s: 3)` unquoted, where ": " starts a YAML mapping.
    const hint = error.code === 'BAD_INDENT' || /compact mappings|Nested mappings/.test(message)
      ? ' (a value containing ": " must be quoted, or written without the space, e.g. choice(1s:3, 5s:1))'
      : '';
    return { file, line: position.line, column: position.col, path: '', expected: 'valid YAML', found: `${message}${hint}` };
  });
  if (syntax.length > 0) throw new ScenarioError(syntax);

  const overrides: Override[] = [];
  const overrideProblems: ScenarioProblem[] = [];
  for (const overrideText of overrideTexts) {
    try {
      overrides.push(parseOverride(overrideText));
    } catch (cause) {
      overrideProblems.push({ file, line: 0, column: 0, path: '', expected: 'path=value', found: (cause as Error).message });
    }
  }
  overrideProblems.push(...applyOverrides(doc, overrides, file));
  if (overrideProblems.length > 0) throw new ScenarioError(overrideProblems);

  const data: unknown = doc.toJS();
  const schemaProblems = validateAgainstSchema(data, source);
  if (schemaProblems.length > 0) throw new ScenarioError(schemaProblems);
  const spec = data as Scenario;
  const referenceProblems = checkReferences(spec, source);
  if (referenceProblems.length > 0) throw new ScenarioError(referenceProblems);

  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), overrides: [...overrideTexts], spec };
}
