import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AtlasRow, TableRow } from '../analysis/atlas-row.ts';

/** An atlas folder's atlas.json: what `atlas` writes and `serve` reads (its own file, so neither command imports the other). */
export interface AtlasFile {
  missionbench_version: string;
  atlas: string;
  /** How the best alternative of every gap is chosen. */
  rule?: string;
  gaps: AtlasRow[];
  /** Source document 000's table "Does the draft answer it?", measured. */
  seed_000_table?: TableRow[];
}

/** The atlas of a folder, if it is one. */
export function readAtlas(dir: string): AtlasFile | undefined {
  const path = join(dir, 'atlas.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as AtlasFile) : undefined;
}
