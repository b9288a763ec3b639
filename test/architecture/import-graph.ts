import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The project's import graph, from its sources: every relative import,
 * `import type` and `export ... from` included, and dynamic `import()`.
 * Paths are relative to the project root, with `/` separators.
 */
export type ImportGraph = Map<string, string[]>;

const SOURCE = /\.(ts|mts|mjs|js)$/;
const STATIC = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s+['"](\.[^'"]+)['"]/g;
const SIDE_EFFECT = /(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function walk(root: string, dir: string, into: string[]): void {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(root, path, into);
    else if (SOURCE.test(entry) && !entry.includes('.test.')) into.push(relative(root, path).split('\\').join('/'));
  }
}

/** The graph of the given top-level folders (missing ones are skipped). */
export function importGraph(root: string, folders: readonly string[], extraSources: ReadonlyMap<string, string> = new Map()): ImportGraph {
  const files: string[] = [];
  for (const folder of folders) {
    try {
      walk(root, join(root, folder), files);
    } catch {
      // a folder this checkout does not have
    }
  }
  for (const file of extraSources.keys()) if (!files.includes(file)) files.push(file);
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = extraSources.get(file) ?? readFileSync(join(root, file), 'utf8');
    const targets = new Set<string>();
    for (const pattern of [STATIC, SIDE_EFFECT, DYNAMIC]) {
      for (const match of text.matchAll(pattern)) {
        const target = relative(root, resolve(root, dirname(file), match[1] as string))
          .split('\\')
          .join('/');
        for (const candidate of [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`]) {
          if (known.has(candidate)) {
            targets.add(candidate);
            break;
          }
        }
      }
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components of more than one file (or a file importing itself): the import cycles. */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}
