#!/usr/bin/env node
// missionbench is written in TypeScript and run through tsx, so that there is
// no build step between a checkout and a working command.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
