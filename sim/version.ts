import { readFileSync } from 'node:fs';

/** The missionbench version recorded in every manifest. */
export const MISSIONBENCH_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
