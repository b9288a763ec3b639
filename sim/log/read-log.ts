import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One audit event as read back: the common fields plus whatever its type carries. */
export interface LoggedEvent {
  seq: number;
  t: number;
  type: string;
  mission: string | null;
  actor: string;
  [field: string]: unknown;
}

/** A run folder or an events.jsonl file -> the events.jsonl path. */
export function eventsPath(target: string): string {
  return existsSync(target) && statSync(target).isDirectory() ? join(target, 'events.jsonl') : target;
}

/** Streams a log's events in order, with flat memory however long it is. */
export async function* readEvents(path: string): AsyncGenerator<LoggedEvent> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line === '') continue;
    try {
      yield JSON.parse(line) as LoggedEvent;
    } catch {
      throw new Error(`${path}:${number}: not a JSON object`);
    }
  }
}
