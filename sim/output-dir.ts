import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Staging folders of this process not yet committed or abandoned, for abandonStagedOutputs.
const active = new Set<StagedOutputDir>();

/**
 * Builds a run's output in a hidden sibling folder and moves it into place
 * only when complete, so a crash never leaves a half run that looks whole.
 * An existing folder is replaced only if it is empty or itself a finished
 * run (it has a manifest.json); anything else is refused. Staging folders
 * for the same output left by a process that is gone (killed, crashed) are
 * removed first.
 */
export class StagedOutputDir {
  readonly stagingPath: string;

  constructor(readonly finalPath: string) {
    const parent = dirname(finalPath);
    attempt(finalPath, () => mkdirSync(parent, { recursive: true }));
    if (existsSync(finalPath)) {
      if (!statSync(finalPath).isDirectory()) {
        throw new OutputDirError(`${finalPath} is a file; the output must be a folder (a new one, or an earlier run's to replace)`);
      }
      const entries = attempt(finalPath, () => readdirSync(finalPath));
      if (entries.length > 0 && !entries.includes('manifest.json')) {
        throw new OutputDirError(`${finalPath} exists and is not a missionbench run folder; refusing to overwrite it`);
      }
    }
    removeStaleStaging(parent, basename(finalPath));
    this.stagingPath = join(parent, `.${basename(finalPath)}.partial-${process.pid}`);
    rmSync(this.stagingPath, { recursive: true, force: true });
    attempt(finalPath, () => mkdirSync(this.stagingPath));
    active.add(this);
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
    active.delete(this);
  }

  abandon(): void {
    rmSync(this.stagingPath, { recursive: true, force: true });
    active.delete(this);
  }
}

/**
 * Removes every staging folder this process has not finished: for a signal
 * handler, which then exits (a run interrupted leaves nothing behind).
 */
export function abandonStagedOutputs(): void {
  for (const output of [...active]) output.abandon();
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
    return finish(output, fill(output));
  } catch (error) {
    output.abandon();
    throw error;
  }
}

/** writeRunFolder for a `fill` that gives the event loop turns while it works. */
export async function writeRunFolderAsync<M>(finalPath: string, fill: (output: StagedOutputDir) => Promise<M>): Promise<M> {
  const output = new StagedOutputDir(finalPath);
  try {
    return finish(output, await fill(output));
  } catch (error) {
    output.abandon();
    throw error;
  }
}

function finish<M>(output: StagedOutputDir, manifest: M): M {
  writeFileSync(output.file('manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  output.commit();
  return manifest;
}

/** `.<name>.partial-<pid>` (and its `.old`) whose process no longer runs. */
function removeStaleStaging(parent: string, name: string): void {
  const prefix = `.${name}.partial-`;
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const match = /^(\d+)(\.old)?$/.exec(entry.slice(prefix.length));
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && !isRunning(pid)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs a file-system step for the output folder; what fails becomes one line that says why. */
function attempt<T>(finalPath: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new OutputDirError(`cannot write the output folder ${finalPath}: ${reason(finalPath, code, error as Error)}`);
  }
}

function reason(finalPath: string, code: string, error: Error): string {
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST': {
      const file = fileAncestor(finalPath);
      return file === undefined ? 'a part of the path is a file, not a folder' : `${file} is a file, not a folder`;
    }
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}): choose a folder you can write in`;
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'ENOENT':
      return 'the system does not let a folder be made there (ENOENT)';
    default:
      return `${error.message}`;
  }
}

/** The nearest part of `path` that exists and is not a folder. */
function fileAncestor(path: string): string | undefined {
  for (let current = dirname(path); current !== dirname(current); current = dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) return current;
    } catch {
      // not there (yet): look further up
    }
  }
  return undefined;
}
