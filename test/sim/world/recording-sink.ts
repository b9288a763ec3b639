import { createHash } from 'node:crypto';
import { FieldObjectSink } from '../../../sim/log/writer.ts';

export interface RecordedEvent {
  t: number;
  type: string;
  mission: string | null;
  actor: string;
  fields: Record<string, unknown> | undefined;
}

/** An audit sink that keeps events in memory; each event's "hash" is a digest of its seq (distinct, stable). */
export class RecordingSink extends FieldObjectSink {
  readonly events: RecordedEvent[] = [];
  lastHash = '0'.repeat(64);

  get count(): number {
    return this.events.length;
  }

  emit(t: number, type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void {
    this.events.push({ t, type, mission, actor, fields });
    this.lastHash = createHash('sha256').update(String(this.events.length)).digest('hex');
  }

  ofType(type: string): RecordedEvent[] {
    return this.events.filter((event) => event.type === type);
  }
}
