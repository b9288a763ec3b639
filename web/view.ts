/** What every view shares: finding elements, its outcome, its chart and table slots. */
import type { Result } from 'vega-embed';
import { readList, writeList } from './url-state.ts';

export const $ = <T extends Element = HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
};

/** What a view found: shown, or empty with the line saying what would fill it. */
export type ViewOutcome = { empty: false } | { empty: true; why: string };
export const SHOWN: ViewOutcome = { empty: false };
export const empty = (why: string): ViewOutcome => ({ empty: true, why });

/** A chart and a table slot in a view's body, made afresh each time (nothing stale survives a switch). */
export function slots(body: HTMLElement, ...names: string[]): HTMLElement[] {
  body.innerHTML = '';
  const charts = document.createElement('div');
  charts.className = 'charts';
  const made = names.map((name) => {
    const element = document.createElement('div');
    element.className = name.startsWith('table') ? 'table' : 'chart';
    element.id = name;
    element.dataset.testid = name;
    (name.startsWith('table') ? body : charts).append(element);
    return element;
  });
  body.prepend(charts);
  return made;
}

/**
 * A selection in one chart filters another: the designs picked in `from`
 * (its `pick` param) become the `selected` designs of `to`, and are kept in
 * the URL under `designs`; the count is kept on <body data-...> for tests.
 */
export function linkDesignSelection(from: Result | null, to: Result | null, marker: string): void {
  if (!from || !to) return;
  const saved = readList('designs');
  if (saved.length > 0) {
    void to.view.signal('selected', saved).runAsync();
    document.body.dataset[marker] = String(saved.length);
  }
  from.view.addSignalListener('pick', (_name, value: { design?: string[] } | undefined) => {
    const picked = Array.isArray(value?.design) ? value.design : [];
    void to.view.signal('selected', picked).runAsync();
    writeList('designs', picked);
    document.body.dataset[marker] = String(picked.length);
  });
}
