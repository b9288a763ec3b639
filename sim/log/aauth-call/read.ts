import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadValidator, type ValidatorSpec } from '../../precompiled-validator.ts';
import { fileLines } from '../line-reader.ts';
import { IngestError, type IngestProblem } from '../ingest.ts';
import { CALL_RECORD_SCHEMA, type CallRecord, type SourcedRecord } from './record.ts';

const MAX_PROBLEMS = 50;

/** The record schema's validator (compiled by the build, sim/precompiled-validator.ts). */
export const CALL_RECORD_VALIDATOR: ValidatorSpec = {
  name: 'aauth-call-record',
  options: { allErrors: true, strict: false, verbose: true },
  formats: {},
  schema: () => CALL_RECORD_SCHEMA,
};
let compiled: ValidateFunction | undefined;

/** Problems in several files: every line reads `file:line: field: expected ..., found ...`. */
export class CallLogError extends IngestError {
  constructor(readonly located: Array<IngestProblem & { file: string }>) {
    super(located[0]?.file ?? '(no file)', located);
    this.message = located.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.message}`).join('\n');
    this.name = 'CallLogError';
  }
}

/**
 * Reads JSON Lines of `aauth.call` records from one or more files and checks
 * every line against the record schema before anything is used: one bad
 * line refuses the whole input (nothing is written), naming each bad line.
 */
export function readCallRecords(files: readonly string[]): SourcedRecord[] {
  compiled ??= loadValidator(CALL_RECORD_VALIDATOR);
  const validate = compiled;
  const problems: Array<IngestProblem & { file: string }> = [];
  const records: SourcedRecord[] = [];
  for (const file of files) {
    let lines = 0;
    for (const line of fileLines(file)) {
      if (line.text.trim() === '') continue;
      lines++;
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch {
        problems.push({ file, line: line.number, field: '(line)', message: `expected a JSON object on one line, found ${preview(line.text)}` });
        if (problems.length >= MAX_PROBLEMS) break;
        continue;
      }
      if (!validate(value)) {
        for (const error of validate.errors ?? []) problems.push({ file, line: line.number, ...describe(error) });
      } else {
        records.push({ record: value as CallRecord, file, line: line.number, index: records.length });
      }
      if (problems.length >= MAX_PROBLEMS) break;
    }
    if (lines === 0) problems.push({ file, line: 1, field: '(file)', message: 'expected at least one aauth.call record, found none' });
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (problems.length > 0) throw new CallLogError(problems);
  return records;
}

/** Whether a file's first non-empty line is an `aauth.call` record (format detection by content). */
export function looksLikeCallLog(file: string): boolean {
  for (const line of fileLines(file)) {
    if (line.text.trim() === '') continue;
    try {
      const value = JSON.parse(line.text) as { event?: unknown };
      return value !== null && typeof value === 'object' && value.event === 'aauth.call';
    } catch {
      return false;
    }
  }
  return false;
}

function preview(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return JSON.stringify(cut);
}

function describe(error: ErrorObject): { field: string; message: string } {
  const path = error.instancePath.slice(1).replace(/\//g, '.');
  const params = error.params as { missingProperty?: string; allowedValues?: unknown[]; allowedValue?: unknown; pattern?: string };
  const found = JSON.stringify(error.data);
  if (params.missingProperty) return { field: [path, params.missingProperty].filter(Boolean).join('.'), message: 'expected this field, found nothing' };
  const field = path || '(record)';
  if (params.allowedValues) return { field, message: `expected one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}, found ${found}` };
  if (error.keyword === 'const') return { field, message: `expected ${JSON.stringify(params.allowedValue)}, found ${found}` };
  if (error.keyword === 'pattern') return { field, message: `expected an ISO 8601 time such as 2026-11-02T09:00:45.120Z, found ${found}` };
  return { field, message: `expected a value that ${error.message ?? 'matches the record schema'}, found ${found}` };
}
