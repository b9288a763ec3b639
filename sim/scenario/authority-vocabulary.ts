/**
 * The words a scenario uses for authority, defined here (below the
 * authority models) so the schema names them without importing the
 * models themselves.
 */
export const AUTHORITY_MODELS = ['scopes', 'tools', 'text', 'r3', 'envelope'] as const;
export type AuthorityModelName = (typeof AUTHORITY_MODELS)[number];

/**
 * An upper bound on a call argument, `attr <= N` (sim/authority/envelope.ts parses it). At most 15
 * digits: every such number is exact in JavaScript and prints as digits (a longer one prints as 1e+21,
 * which Cedar cannot parse).
 */
export const BOUND_PATTERN = '^\\s*[A-Za-z_][A-Za-z0-9_]*\\s*<=\\s*-?\\d{1,15}\\s*$';
