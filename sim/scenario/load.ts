import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { applyOverrides, parseOverride, type Override, type OverrideFlag } from './overrides.ts';
import { describeValue, ScenarioError, type ScenarioProblem } from './problems.ts';
import { checkReferences } from './references.ts';
import { findScenarioFile } from './scenario-file.ts';
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

/** An override as given on the command line: `path=value`, from --set unless said otherwise. */
export type OverrideText = string | { text: string; flag: OverrideFlag };

// YAML alias expansions a document may make (the yaml library's default): enough for a real
// scenario, far too few for a "billion laughs" document to exhaust memory.
const MAX_ALIAS_COUNT = 100;

/**
 * Reads, overrides and validates a scenario. Throws ScenarioError listing
 * every problem (schema, references) with file, line:column and path. A bare
 * name (`mm1`) is looked up in scenarios/ (see scenario-file.ts).
 */
export function loadScenario(file: string, overrideTexts: readonly OverrideText[] = []): LoadedScenario {
  const path = findScenarioFile(file);
  const bytes = readScenarioBytes(path);
  const text = decodeText(path, bytes);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });

  const syntax: ScenarioProblem[] = doc.errors.map((error) => {
    const position = lines.linePos(error.pos[0]);
    const message = error.message.split('\n')[0] ?? error.code;
    // The usual cause: `choice(1s: 3)` unquoted, where ": " starts a YAML mapping.
    const hint =
      error.code === 'BAD_INDENT' || /compact mappings|Nested mappings/.test(message)
        ? ' (a value containing ": " must be quoted, or written without the space, e.g. choice(1s:3, 5s:1))'
        : '';
    const found = /Maximum call stack/.test(message) ? 'nesting too deep to read' : `${message}${hint}`;
    return { file: path, line: position.line, column: position.col, path: '', expected: 'valid YAML', found };
  });
  if (syntax.length > 0) throw new ScenarioError(syntax);
  checkDocumentShape(path, doc, lines);

  const overrides: Override[] = [];
  const overrideProblems: ScenarioProblem[] = [];
  for (const given of overrideTexts) {
    const { text: overrideText, flag } = typeof given === 'string' ? { text: given, flag: '--set' as const } : given;
    try {
      overrides.push(parseOverride(overrideText, flag));
    } catch (cause) {
      overrideProblems.push({
        file: path,
        line: 0,
        column: 0,
        path: '',
        expected: 'path=value',
        found: (cause as Error).message,
        via: `${flag} ${overrideText}`,
      });
    }
  }
  const { problems: applyProblems, applied } = applyOverrides(doc, overrides, path);
  overrideProblems.push(...applyProblems);
  if (overrideProblems.length > 0) throw new ScenarioError(overrideProblems);
  const source: SourceMap = { file: path, doc, lines, overrides: applied };

  const data = toPlainData(source);
  const schemaProblems = validateAgainstSchema(data, source);
  if (schemaProblems.length > 0) throw new ScenarioError(schemaProblems);
  const spec = data as Scenario;
  const referenceProblems = checkReferences(spec, source);
  if (referenceProblems.length > 0) throw new ScenarioError(referenceProblems);

  return {
    file: path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    overrides: overrideTexts.map((given) => (typeof given === 'string' ? given : given.text)),
    spec,
  };
}

function readScenarioBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'EISDIR' ? 'a folder' : code === 'EACCES' ? 'a file it is not allowed to read (EACCES)' : (cause as Error).message;
    throw fileProblem(file, 'a readable scenario file', reason);
  }
}

/** A scenario is UTF-8 text: a NUL byte or an invalid sequence means some other kind of file. */
function decodeText(file: string, bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fileProblem(file, 'a UTF-8 text (YAML) file', 'binary data (bytes that are not UTF-8)');
  }
  if (nul >= 0) throw fileProblem(file, 'a UTF-8 text (YAML) file', `binary data (a NUL byte at byte ${nul})`);
  return text;
}

/** The document must be one mapping of scenario fields; anything else is said in one line. */
function checkDocumentShape(file: string, doc: Document, lines: LineCounter): void {
  const contents = doc.contents as Node | null;
  if (contents === null) throw fileProblem(file, SCENARIO_MAPPING, 'an empty document');
  if (isMap(contents)) return;
  const position = contents.range ? lines.linePos(contents.range[0]) : { line: 0, col: 0 };
  const found = describeValue(contents.toJSON());
  throw new ScenarioError([{ file, line: position.line, column: position.col, path: '', expected: SCENARIO_MAPPING, found }]);
}

const SCENARIO_MAPPING = 'a scenario: a YAML mapping of fields (name:, description:, duration:, topology:, ...)';

/** The document as plain data; an alias bomb is refused where its first alias is. */
function toPlainData(source: SourceMap): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    if (!(cause instanceof ReferenceError) || !/alias/i.test(cause.message)) throw cause;
    let offset = 0;
    visit(source.doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const position = source.lines.linePos(offset);
    throw new ScenarioError([
      {
        file: source.file,
        line: position.line,
        column: position.col,
        path: '',
        expected: `at most ${MAX_ALIAS_COUNT} YAML alias expansions (*name)`,
        found: 'more: aliases of aliases that expand exponentially (refused rather than exhaust memory)',
      },
    ]);
  }
}

function fileProblem(file: string, expected: string, found: string): ScenarioError {
  return new ScenarioError([{ file, line: 0, column: 0, path: '', expected, found }]);
}
