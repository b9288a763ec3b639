/**
 * The `aauth.call` record: one JSON object per HTTP call between AAuth roles,
 * written at each end of the call by the party that made or answered it.
 *
 * Source of this definition (read, not copied): the AAuth TypeScript
 * reference packages, repository aauth-dev/packages-js, file
 * call-log/src/record.ts (interface CallRecord, Token, Signed, Part) and its
 * tests call-log/src/record.test.ts and call-log/src/sides.test.ts, at commit
 * 3f82ef56ae64550576c4767a7ec637a041fedd70; summarised in
 * ../shared/reference/aauth-protocol-facts.md, "Real logs". The schema below
 * restates that definition in our words; nothing is inferred from our own
 * exporter. Where the reference is loose we are loose too:
 * - the host's log sink may add fields of its own (the reference README names
 *   `service`, `timestamp`, `event_id`), so unknown top-level fields are allowed;
 * - `started_at` is "ISO time": any number of fractional-second digits;
 * - `duration_ms` is a number (the reference computes whole milliseconds; a
 *   fraction is still a number).
 */

export type Role = 'agent' | 'resource' | 'ps' | 'as';
export type Side = 'caller' | 'callee' | 'person';

/** A token as the reference logs it: never the JWT, its `typ` and its claims. */
export interface Token {
  type: string;
  payload: Record<string, unknown>;
}

export type Signed = { scheme: 'jwt'; token?: Token } | { scheme: 'jwks_uri'; id?: string; dwk?: string; kid?: string } | { scheme: 'hwk'; jkt?: string };

/** A request or response as logged: a JSON body (tokens replaced), parsed AAuth headers, or a body's type and size. */
export interface Part {
  body?: unknown;
  params?: Record<string, unknown>;
  content_type?: string;
  size?: number;
}

export interface CallRecord {
  event: 'aauth.call';
  side: Side;
  call_id: string;
  parent?: string;
  from?: string;
  from_role?: Role;
  to: string;
  to_role?: Role;
  agent?: string;
  action?: string;
  method?: string;
  path?: string;
  query?: string;
  status?: number;
  started_at: string;
  duration_ms?: number;
  signed?: Signed;
  request?: Part;
  response?: Part;
  error?: string;
  truncated?: true;
  level: number;
  msg: string;
  [hostField: string]: unknown;
}

const ROLES = ['agent', 'resource', 'ps', 'as'];
const text = { type: 'string' };
const token = {
  type: 'object',
  required: ['type', 'payload'],
  properties: { type: text, payload: { type: 'object' } },
  description: 'a JWT as its typ header and its claims',
};
const part = {
  type: 'object',
  additionalProperties: false,
  properties: {
    body: { description: 'the JSON body with every token replaced by {type, payload}; a cut body is a string' },
    params: { type: 'object', description: 'AAuth-Requirement, Signature-Error and AAuth-Budget parsed into key/value pairs; Location as is' },
    content_type: text,
    size: { type: 'integer', minimum: 0 },
  },
};

/** ISO 8601 date and time with a zone, as `Date.prototype.toISOString` and other writers produce it. */
export const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

/** The JSON Schema (draft-07, as Ajv checks it) of one `aauth.call` line; docs/aauth-call-record.schema.json is this object. */
export const CALL_RECORD_SCHEMA = {
  $comment: 'Restated from aauth-dev/packages-js call-log/src/record.ts at 3f82ef56ae64550576c4767a7ec637a041fedd70',
  type: 'object',
  required: ['event', 'side', 'call_id', 'to', 'started_at', 'level', 'msg'],
  properties: {
    event: { const: 'aauth.call' },
    side: { enum: ['caller', 'callee', 'person'], description: 'which end wrote it; person: a person acted at the PS' },
    call_id: {
      type: 'string',
      minLength: 1,
      description: 'base64url SHA-256 of the request Signature header (a random UUID when unsigned): joins the two ends',
    },
    parent: { type: 'string', description: 'the call being handled when this outbound call was made' },
    from: text,
    from_role: { enum: ROLES },
    to: text,
    to_role: { enum: ROLES },
    agent: text,
    action: { type: 'string', description: "a person's act" },
    method: text,
    path: text,
    query: text,
    status: { type: 'integer', minimum: 100, maximum: 599 },
    started_at: { type: 'string', pattern: ISO_TIME },
    duration_ms: { type: 'number', minimum: 0 },
    signed: {
      type: 'object',
      required: ['scheme'],
      properties: {
        scheme: { enum: ['jwt', 'jwks_uri', 'hwk'] },
        token,
        id: text,
        dwk: text,
        kid: text,
        jkt: text,
      },
    },
    request: part,
    response: part,
    error: text,
    truncated: { const: true },
    level: { enum: [30, 40, 50] },
    msg: text,
  },
} as const;

/** A record with where it came from, so every answer can point back to its line. */
export interface SourcedRecord {
  record: CallRecord;
  file: string;
  line: number;
  /** Position among every record read (files in the order given, lines in order): the last tie-breaker. */
  index: number;
}
