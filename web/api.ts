/**
 * The dashboard's requests to the missionbench server (analysis/http-api.ts).
 * Every request names the atlas gap the page shows (null outside an atlas).
 */
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

/** GETs one endpoint of the missionbench server; a failure carries the server's message. */
export async function api<T>(path: string): Promise<T> {
  // An absolute path: the page's own query (its state) is not sent along.
  const url = new URL(path, window.location.href);
  if (currentGap !== null) url.searchParams.set('gap', currentGap);
  const response = await fetch(url);
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new ApiError(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export function query(name: string, params: Record<string, string | number> = {}): Promise<Row[]> {
  const search = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]));
  return api<Row[]>(`/api/query/${name}${search.size > 0 ? `?${search}` : ''}`);
}
