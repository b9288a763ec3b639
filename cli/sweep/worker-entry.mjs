// A sweep worker thread. Like bin/missionbench.mjs it registers tsx first,
// so the TypeScript sources run without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
