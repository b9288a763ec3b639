import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, micros, text } from './fields.ts';

/** Revocation of tokens at resources and access servers: calls, answers, cascades, outages, rate limits, events and status checks. */
export const REVOCATION_EVENTS = {
  'revocation.sent': fields(
    { resource: text, attempt: count, jti: text, exp: Type.Optional(micros) },
    "the PS calls a revocation endpoint (r11 adds exp); aauth-latest, four-party: also the PS's notice to an AS (resource: the AS's id), each resend a new attempt",
  ),
  'revocation.lost': fields(
    { resource: text, jti: text, attempt: count },
    "a revocation call got no answer: logged by the caller when its wait ran out (a call to a resource: revocation.retry_interval after sending; a PS's notice to an AS: network.timeout), then sent again or given up",
  ),
  'revocation.received': fields({ jti: text, via: Type.Union([Type.Literal('push'), Type.Literal('events')]) }, 'a resource learns of a revocation'),
  'revocation.answered': fields(
    { resource: text, jti: text, status: Type.Union([Type.Literal(200), Type.Literal(202)]), retry_after_us: Type.Optional(micros) },
    'aauth-r11: a revocation endpoint answers the PS: 200 (revoked, downstream cascade done) or 202 with Retry-After (the PS polls)',
  ),
  'revocation.cascaded': fields(
    { jti: text, to: text, downstream_jti: text },
    'aauth-r11: a resource revokes, at the downstream resource, a token it obtained under the revoked upstream token (aauth-latest: each call sent again after revocation_unavailable or rate_limited too)',
  ),
  'revocation.cascade_done': fields(
    { jti: text, downstream: count },
    'aauth-r11: every downstream revocation under this token is done; the endpoint now answers 200',
  ),
  'revocation.unsupported': fields(
    { jti: text, to: text, downstream_jti: Type.Optional(text), error: Type.Literal('revocation_unsupported'), exposed_until: micros },
    "aauth-latest: a recipient that cannot revoke answers revocation_unsupported, either the PS's own call (logged by the PS when the answer arrives, one latency each way after revocation.sent; no downstream_jti) or a downstream one in a cascade (logged by the resource that cascades; the downstream token is downstream_jti): the token stays usable there until exposed_until (its exp)",
  ),
  'revocation.downstream': fields(
    {
      as: text,
      jti: text,
      downstream: Type.Array(
        Type.Object(
          {
            to: text,
            jti: text,
            outcome: Type.Union([
              Type.Literal('sent'),
              Type.Literal('event'),
              Type.Literal('revocation_unsupported'),
              Type.Literal('revocation_unavailable'),
              Type.Literal('no_answer'),
              Type.Literal('status_checked'),
            ]),
            exposed_until: Type.Optional(micros),
          },
          { additionalProperties: false },
        ),
      ),
    },
    "aauth-latest, four-party: the PS revoked an AS-issued token at the resource itself and notified the AS (-11: 'MAY also notify'); this is the AS's answer, queued at the AS: the recipients it passed the revocation on to and what each answered it (sent: 200/202; revocation_unsupported; revocation_unavailable on its last attempt; no_answer; event: a stream, no answer; status_checked: not called), with exposed_until (the token's exp) where the token stays usable",
  ),
  'revocation.unavailable': fields(
    {
      jti: text,
      to: text,
      downstream_jti: Type.Optional(text),
      attempt: count,
      error: Type.Literal('revocation_unavailable'),
      exposed_until: micros,
      retry: Type.Boolean(),
    },
    "aauth-latest: a recipient whose revocation endpoint is down (a resource's revocation.outages, an AS's revocation.outages) answers revocation_unavailable, or (a PS's notice to an AS) no attempt was answered within network.timeout after network.retries resends; the caller (the PS, or in a cascade the resource that cascades) retries after retry_interval while retry is true. Unless a retry gets through, the token stays usable there until exposed_until (its exp)",
  ),
  'revocation.rate_limited': fields(
    { jti: text, to: text, downstream_jti: Type.Optional(text), attempt: count, error: Type.Literal('rate_limited'), retry_after_us: micros },
    "aauth-latest only (validate refuses revocation.rate_limit elsewhere): a recipient past its rate limit (a resource's or an AS's revocation.rate_limit) answered 429 rate_limited with Retry-After; logged by the caller (the PS, or in a cascade the resource that cascades: the downstream token is downstream_jti) when the answer arrives; it calls again after retry_after_us (the wait does not count against its retries)",
  ),
  'revocation.complete': fields(
    { agent: text, elapsed_us: micros },
    'aauth-r11: every revocation of a termination answered 200 (aauth-latest: or the terminal revocation_unsupported): the control plane is done',
  ),
  'revocation.event_published': fields({ resource: text, jti: text }, 'the PS publishes a revocation on an event stream'),
  'revocation.status_check': fields({ jti: text }, 'a resource asks the PS for a token status'),
} satisfies Record<string, TObject>;
