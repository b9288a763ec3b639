/**
 * What the audit writer learns of one event type the first time it writes
 * it, so that later lines of that type copy their fixed parts as bytes
 * instead of encoding them again: the type member with the start of the
 * mission member (`,"type":"job.start","mission":`), and the fields' member
 * names as that first event had them (`,"job":`, `,"waited_us":`). The
 * events of a type almost always have the same fields in the same order
 * (each is written by one object literal at its call site), but nothing
 * depends on it: the writer still walks each event's own fields, and uses a
 * learned name only where the event's own name at that place is the same
 * string. A line is the same bytes whichever path wrote it.
 *
 * It also keeps the first event's mission and actor with the line up to
 * the actor's closing quote: most types are written by one actor (a
 * resource's `job.start` always by that resource), so their lines copy
 * that prefix in one piece instead of encoding the actor each time.
 */
export class LineShape {
  /** `,"type":<type as JSON>,"mission":` in UTF-8. */
  readonly head: Uint8Array;
  /** The same for an event without a mission, up to its actor: `,"type":<type as JSON>,"mission":null,"actor":`. */
  readonly headWithoutMission: Uint8Array;
  /** The first event's mission and actor, and `,"type":...,"mission":...,"actor":"..."` for them in UTF-8. */
  readonly mission: string | null;
  readonly actor: string;
  readonly prefix: Uint8Array;
  /** The first event's field names, in its order. */
  readonly names: readonly string[];
  /** `,<name as JSON>:` in UTF-8 for each of `names`. */
  readonly members: readonly Uint8Array[];

  constructor(type: string, mission: string | null, actor: string, fields: Readonly<Record<string, unknown>> | undefined) {
    // The prefix is copied into every later line of the type: a mission or actor that is not a string would make all of them invalid JSON.
    if (typeof actor !== 'string' || (mission !== null && typeof mission !== 'string'))
      throw new TypeError(`event ${type}: mission must be a string or null and actor a string (got ${typeof mission}, ${typeof actor})`);
    this.head = Buffer.from(`,"type":${JSON.stringify(type)},"mission":`, 'utf8');
    this.headWithoutMission = Buffer.from(`,"type":${JSON.stringify(type)},"mission":null,"actor":`, 'utf8');
    this.mission = mission;
    this.actor = actor;
    this.prefix = Buffer.from(`,"type":${JSON.stringify(type)},"mission":${JSON.stringify(mission)},"actor":${JSON.stringify(actor)}`, 'utf8');
    const names: string[] = [];
    // Only a plain object's own names are learned (anything else is written by JSON.stringify).
    const prototype = fields === undefined ? undefined : Object.getPrototypeOf(fields);
    if (fields !== undefined && (prototype === Object.prototype || prototype === null)) for (const name in fields) names.push(name);
    this.names = names;
    this.members = names.map((name) => Buffer.from(`,${JSON.stringify(name)}:`, 'utf8'));
  }
}
