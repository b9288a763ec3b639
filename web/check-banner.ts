/**
 * What was checked of the logs before the views answer (GET /api/check),
 * shown at the top of the page, above every view: a red banner for each
 * broken log (served with --allow-broken), naming its first bad seq and
 * saying that everything after it is unverified, else a quiet note of what
 * was verified and what the signatures prove.
 */
export async function showCheckBanner(gap: string | null): Promise<void> {
  const url = new URL('/api/check', window.location.href);
  if (gap !== null) url.searchParams.set('gap', gap);
  let body: { lines?: string[]; unverified?: string[]; error?: string };
  try {
    body = (await (await fetch(url)).json()) as typeof body;
  } catch {
    return;
  }
  let banner = document.querySelector<HTMLElement>('#check-banner');
  if (!banner) {
    banner = document.createElement('div');
    banner.id = 'check-banner';
    banner.dataset.testid = 'check-banner';
    document.querySelector('main')?.before(banner);
  }
  banner.innerHTML = '';
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
