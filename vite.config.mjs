// The dashboard: `vite build` (scripts/build.mjs) writes it to dist/web/,
// which `missionbench serve` serves as static files beside its /api/;
// `npm run dev` runs Vite's dev server on web/ instead (hot reload).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./web/', import.meta.url)),
  // Relative asset URLs: the page works from whatever path it is served at.
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    // vega's bundle is large by nature; the warning would say nothing new.
    chunkSizeWarningLimit: 2000,
  },
});
