// The fuzz test's worker thread: registers tsx (as bin/missionbench.mjs does), then runs cases.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-case.ts');
