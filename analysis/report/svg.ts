import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/**
 * Vega numbers gradients and clip paths from counters that live as long as
 * the process, so the second chart rendered gets `gradient_1`. Renumbering
 * them per document, in order of appearance, makes an SVG depend only on its
 * spec and rows.
 */
function renumberIds(svg: string): string {
  const renamed = new Map<string, string>();
  const counters = new Map<string, number>();
  return svg.replace(/(id="|url\(#)(gradient_|clip|pattern_)(\d+)/g, (_match, context: string, prefix: string, number: string) => {
    const key = `${prefix}${number}`;
    let name = renamed.get(key);
    if (name === undefined) {
      const next = counters.get(prefix) ?? 0;
      counters.set(prefix, next + 1);
      name = `${prefix}${next}`;
      renamed.set(key, name);
    }
    return `${context}${name}`;
  });
}

/**
 * Renders a vega-lite spec to an SVG string in Node, headless and without a
 * canvas: vega then estimates text widths from character counts, which is
 * deterministic, so the same rows give the same SVG on every machine (the
 * chart snapshot tests rely on it).
 */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return renumberIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}
