/**
 * What was checked of the logs before the views answer (GET /api/check),
 * shown at the top of the page, above every view: a red banner for each
 * broken log (served with --allow-broken), naming its first bad seq and
 * saying that everything after it is unverified, else a quiet note of what
 * was verified and what the signatures prove. Drawn first whenever the page
 * draws: the analysis it came from is the one the page follows
 * (drawn-from.ts), and its name is kept on the banner (data-analysis).
 */
import { ANALYSIS_HEADER } from '../analysis/answer-identity.ts';
import { drawingFrom } from './drawn-from.ts';

export async function showCheckBanner(gap: string | null): Promise<void> {
  const url = new URL('/api/check', window.location.href);
  if (gap !== null) url.searchParams.set('gap', gap);
  let body: { lines?: string[]; unverified?: string[]; error?: string };
  let identity: string | null = null;
  try {
    const response = await fetch(url);
    identity = response.headers.get(ANALYSIS_HEADER);
    body = (await response.json()) as typeof body;
  } catch (error) {
    // Not the banner of an earlier check kept: it says the check is unknown.
    body = { error: `What was checked of the logs could not be fetched: ${(error as Error).message}` };
  }
  // Unknown (null) if it could not be fetched: the next answer after this draw then asks for another (drawn-from.ts).
  drawingFrom(gap, identity);
  let banner = document.querySelector<HTMLElement>('#check-banner');
  if (!banner) {
    banner = document.createElement('div');
    banner.id = 'check-banner';
    banner.dataset.testid = 'check-banner';
    document.querySelector('main')?.before(banner);
  }
  banner.innerHTML = '';
  banner.dataset.analysis = identity ?? '';
  const unverified = body.unverified ?? [];
  banner.className = unverified.length > 0 ? 'check-banner unverified' : 'check-banner';
  const lines = body.error !== undefined ? [body.error] : (body.lines ?? []);
  for (const line of lines) {
    const p = document.createElement('p');
    p.textContent = line;
    if (line.includes('UNVERIFIED') || body.error !== undefined) p.className = 'bad';
    banner.append(p);
  }
}
