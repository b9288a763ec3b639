import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface BadLine {
  line: number;
  expected: string;
  found: string;
}

function describe(text: string): string {
  return text.length > 60 ? `${JSON.stringify(text.slice(0, 60))}...` : JSON.stringify(text);
}

/**
 * The first line of a JSON Lines log that is not an event: not JSON, not an
 * object, or without an integer `seq` and `t` and a string `type`. Only
 * called after DuckDB refused a file, to say where and why.
 */
export async function findBadLine(file: string): Promise<BadLine | undefined> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of lines) {
      number++;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { line: number, expected: 'one JSON object per line', found: `${describe(text)} (${(error as Error).message})` };
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { line: number, expected: 'a JSON object', found: describe(text) };
      }
      const event = value as Record<string, unknown>;
      for (const field of ['seq', 't'] as const) {
        if (!Number.isSafeInteger(event[field])) {
          return { line: number, expected: `an integer ${field}`, found: JSON.stringify(event[field] ?? null) };
        }
      }
      if (typeof event.type !== 'string') return { line: number, expected: 'a string type', found: JSON.stringify(event.type ?? null) };
    }
  } finally {
    lines.close();
  }
  return undefined;
}
