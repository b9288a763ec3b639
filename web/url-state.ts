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
  if (url.href === window.location.href) return;
  window.history.replaceState(null, '', url);
  relinkSvgReferences();
}

/**
 * Vega's SVG renderer writes references as url(<page URL>#gradient_0), with
 * the page's URL at drawing time; once the URL changes, Chrome treats those
 * as another document and drops the gradients and clip paths. Rewritten as
 * url(#gradient_0) they resolve in this document whatever its URL.
 */
export function relinkSvgReferences(root: ParentNode = document): void {
  for (const attribute of ['fill', 'stroke', 'clip-path', 'mask', 'filter']) {
    for (const element of root.querySelectorAll(`svg [${attribute}^="url("]`)) {
      const value = element.getAttribute(attribute) as string;
      const relative = value.replace(/^url\([^#)]*#/, 'url(#');
      if (relative !== value) element.setAttribute(attribute, relative);
    }
  }
}

/** A list kept in one key (designs picked in a chart), separated by newlines so design names can hold commas. */
export function readList(key: StateKey): string[] {
  const value = readState(key);
  return value ? value.split('\n').filter((item) => item !== '') : [];
}

export function writeList(key: StateKey, items: readonly string[]): void {
  writeState({ [key]: items.length > 0 ? items.join('\n') : null });
}
