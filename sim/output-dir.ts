import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Builds a run's output in a hidden sibling folder and moves it into place
 * only when complete, so a crash never leaves a half run that looks whole.
 * An existing folder is replaced only if it is empty or itself a finished
 * run (it has a manifest.json); anything else is refused.
 */
export class StagedOutputDir {
  readonly stagingPath: string;

  constructor(readonly finalPath: string) {
    const parent = dirname(finalPath);
    mkdirSync(parent, { recursive: true });
    if (existsSync(finalPath)) {
      const entries = readdirSync(finalPath);
      if (entries.length > 0 && !entries.includes('manifest.json')) {
        throw new OutputDirError(`${finalPath} exists and is not a missionbench run folder; refusing to overwrite it`);
      }
    }
    this.stagingPath = join(parent, `.${basename(finalPath)}.partial-${process.pid}`);
    rmSync(this.stagingPath, { recursive: true, force: true });
    mkdirSync(this.stagingPath);
  }

  file(name: string): string {
    return join(this.stagingPath, name);
  }

  commit(): void {
    if (existsSync(this.finalPath)) {
      const retired = `${this.stagingPath}.old`;
      renameSync(this.finalPath, retired);
      renameSync(this.stagingPath, this.finalPath);
      rmSync(retired, { recursive: true, force: true });
    } else {
      renameSync(this.stagingPath, this.finalPath);
    }
  }

  abandon(): void {
    rmSync(this.stagingPath, { recursive: true, force: true });
  }
}

export class OutputDirError extends Error {
  override name = 'OutputDirError';
}

/**
 * Builds a run folder: `fill` writes its files into the staging folder and
 * returns the manifest, which is written last; then the folder moves into
 * place. On any error nothing is left behind.
 */
export function writeRunFolder<M>(finalPath: string, fill: (output: StagedOutputDir) => M): M {
  const output = new StagedOutputDir(finalPath);
  try {
    const manifest = fill(output);
    writeFileSync(output.file('manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    output.commit();
    return manifest;
  } catch (error) {
    output.abandon();
    throw error;
  }
}
