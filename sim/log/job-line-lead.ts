import type { LineShape } from './line-shape.ts';

/** The longest lead and tail kept: with them, a job line's every piece fits in the room the writer checks for at its start. */
export const MAX_JOB_LEAD_BYTES = 160;

/**
 * A job event's line between its `t` and its job's number, for one actor,
 * job source and (job.arrive) resource, as bytes:
 * `,"type":"job.start","mission":null,"actor":"server","job":"arrivals#`,
 * and what follows the number up to the duration (`","waited_us":`).
 *
 * An `mm1` run's job lines differ only in their numbers: a resource writes
 * every `job.start` and `job.done`, one stream every `job.arrive`, and all
 * jobs come from that stream. The general path writes the type and actor,
 * each member name, the resource and the source piece by piece (a check of
 * room and a walk over each string's characters); with the lead the writer
 * copies all of it in one piece. It is learned from the type's first line
 * and used while a line's strings are the same strings (other lines take
 * the general path), and it spells exactly what the general path writes:
 * the shape's member names, and each string as JSON.stringify has it. A
 * job's name `<source>#<number>` is JSON.stringify'd as the source's JSON
 * without its closing quote, then `#`, the number and a quote: JSON escapes
 * one character (or surrogate pair) at a time, and neither `#` nor a
 * number's characters pair with what comes before them.
 */
export class JobLineLead {
  /** From `,"type":` to the `#` of the job's name; empty when too long to keep (the general path then writes every line). */
  readonly bytes: Uint8Array;
  /** From the job name's closing quote to the duration's member name (job.start, job.done), or the quote alone (job.arrive). */
  readonly tail: Uint8Array;

  /** `shape` is the type's (learned from its first line); `resource` is job.arrive's (its first field), undefined for the types whose fields are the job and a duration. */
  constructor(
    readonly shape: LineShape,
    readonly actor: string,
    readonly source: string,
    readonly resource: string | undefined,
  ) {
    const [first, second] = shape.members as [Uint8Array, Uint8Array];
    const lead = [shape.headWithoutMission, utf8(JSON.stringify(actor)), first];
    if (resource !== undefined) lead.push(utf8(JSON.stringify(resource)), second);
    lead.push(utf8(`${JSON.stringify(source).slice(0, -1)}#`));
    const bytes = Buffer.concat(lead);
    const tail = resource === undefined ? Buffer.concat([utf8('"'), second]) : utf8('"');
    const kept = bytes.length + tail.length <= MAX_JOB_LEAD_BYTES;
    this.bytes = kept ? bytes : Buffer.alloc(0);
    this.tail = tail;
  }

  /** Whether a line by `actor` of a job from `source` (and, for job.arrive, at `resource`) starts with this lead. */
  fits(actor: string, source: string, resource: string | number): boolean {
    return actor === this.actor && source === this.source && (this.resource === undefined || resource === this.resource) && this.bytes.length > 0;
  }
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
