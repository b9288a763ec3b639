/**
 * What a resource may ask the Person Server that issued a token (by the
 * token's `ps`/`aud`): whether the token is still active (introspection,
 * cache) and the delegation depth of the agent it is bound to (the `act`
 * chain the PS minted). The resource holds this port, never the server.
 */
export interface TokenStatus {
  readonly actor: string;
  tokenActive(jti: string, mission: string | null, agent: string | undefined): boolean;
  delegationDepth(agent: string): number;
}
