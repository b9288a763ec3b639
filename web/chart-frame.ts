/**
 * One chart on the page: drawn with vega-embed, with buttons to download it
 * as SVG and PNG (vega's view.toSVG / view.toImageURL); or, when its data
 * would mislead (absent, all zero, all equal), the sentence saying so.
 */
import embed, { type Result } from 'vega-embed';
import { button, download } from './table.ts';

export function note(target: HTMLElement, kind: 'empty' | 'error' | 'loading' | 'note', text: string): void {
  target.innerHTML = '';
  const box = document.createElement('div');
  box.className = kind;
  box.dataset.testid = kind;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = text;
  target.append(box);
}

/** Draws `spec` into `target` (or writes `why` instead) with its export buttons; the chart's file names start with `name`. */
export async function drawChart(target: HTMLElement, spec: Record<string, unknown>, name: string, why: string | null = null): Promise<Result | null> {
  target.innerHTML = '';
  if (why !== null) {
    note(target, 'note', why);
    return null;
  }
  const holder = document.createElement('div');
  const tools = document.createElement('div');
  tools.className = 'chart-tools';
  target.append(holder, tools);
  const result = await embed(holder, spec as never, { actions: false, renderer: 'svg' });
  tools.append(
    button('Download SVG', `download the ${name} chart as SVG`, () => {
      void result.view.toSVG().then((svg) => download(`${name}.svg`, new Blob([svg], { type: 'image/svg+xml' })));
    }),
    button('Download PNG', `download the ${name} chart as PNG`, () => {
      void result.view.toImageURL('png', 2).then((url) => download(`${name}.png`, url));
    }),
  );
  return result;
}
