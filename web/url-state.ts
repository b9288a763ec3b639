/**
 * What is on the screen, in the page's URL (?gap=…&view=…&stop=…&rps=…&run=…&mission=…&designs=…&seq=…):
 * a copied link or a reload shows the same gap, view, bounds and selection.
 * replaceState, not pushState: choosing things does not fill the back button.
 */
export type StateKey = 'gap' | 'view' | 'stop' | 'rps' | 'run' | 'mission' | 'designs' | 'seq';

export function readState(key: StateKey): string | null {
  return new URL(window.location.href).searchParams.get(key);
}

/** Sets (or, with null or '', removes) keys of the state. */
export function writeState(patch: Partial<Record<StateKey, string | null>>): void {
  const url = new URL(window.location.href);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined || value === '') url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  if (url.href !== window.location.href) window.history.replaceState(null, '', url);
}

/** A list kept in one key (designs picked in a chart), separated by newlines so design names can hold commas. */
export function readList(key: StateKey): string[] {
  const value = readState(key);
  return value ? value.split('\n').filter((item) => item !== '') : [];
}

export function writeList(key: StateKey, items: readonly string[]): void {
  writeState({ [key]: items.length > 0 ? items.join('\n') : null });
}
