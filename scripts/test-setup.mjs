// vitest's global set-up: the tests import the TypeScript sources directly,
// but the ones that spawn `bin/missionbench.mjs`, start a sweep's worker
// threads or serve the dashboard run what is built in dist/. Build it here,
// once, before any test file starts (nothing when it is current), so no test
// runs stale code and parallel test files never race to rebuild it.
import { ensureBuilt } from './build.mjs';

export default async function setup() {
  await ensureBuilt('node');
  await ensureBuilt('web');
}
