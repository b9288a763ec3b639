/**
 * The dashboard's requests to the missionbench server (analysis/http-api.ts).
 * Every request names the atlas gap the page shows (null outside an atlas),
 * and every answer says which analysis it came from (drawn-from.ts).
 */
import { ANALYSIS_HEADER } from '../analysis/answer-identity.ts';
import { answeredFrom } from './drawn-from.ts';

type Row = Record<string, unknown>;

let currentGap: string | null = null;

export function setGap(gap: string | null): void {
  currentGap = gap;
}

export function getGap(): string | null {
  return currentGap;
}

/** The server answered, with an error: its message says why (a bad parameter, or runs that no longer verify). */
export class ApiError extends Error {
  override name = 'ApiError';
}

/** GETs one endpoint of the missionbench server, for the page's gap unless told another; a failure carries the server's message. */
export async function api<T>(path: string, gap: string | null = currentGap): Promise<T> {
  // An absolute path: the page's own query (its state) is not sent along.
  const url = new URL(path, window.location.href);
  if (gap !== null) url.searchParams.set('gap', gap);
  const response = await fetch(url);
  const body = (await response.json()) as T & { error?: string };
  // An error answered by a refused rebuild counts too: the page then draws that error everywhere.
  answeredFrom(gap, response.headers.get(ANALYSIS_HEADER));
  if (!response.ok) throw new ApiError(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export function query(name: string, params: Record<string, string | number> = {}): Promise<Row[]> {
  const search = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]));
  return api<Row[]>(`/api/query/${name}${search.size > 0 ? `?${search}` : ''}`);
}
