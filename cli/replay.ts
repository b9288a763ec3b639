import type { Command } from 'commander';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { KeyFileError, readPublicKeyFile } from '../sim/log/key-file.ts';
import { IncidentReport } from '../sim/log/incident-report.ts';
import { MissionControlView } from '../sim/log/mission-control.ts';
import { eventsPath } from '../sim/log/read-log.ts';
import { brokenBanner, trustStatement, verifyLog, VerifyInputError, type VerifyResult } from '../sim/log/verify.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { readyRunLog } from './run-log.ts';

interface ReplayOptions {
  mission?: string;
  explain?: boolean;
  allowBroken?: boolean;
  publicKey?: string;
}

/** Output held back until the log has been checked: in memory, then in a temporary file past 64 MiB. */
class HeldOutput {
  private parts: string[] = [];
  private size = 0;
  private spill: { dir: string; fd: number } | undefined;

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 26) this.flushToSpill();
  }

  private flushToSpill(): void {
    if (!this.spill) {
      const dir = mkdtempSync(join(tmpdir(), 'missionbench-replay-'));
      this.spill = { dir, fd: openSync(join(dir, 'out'), 'w') };
    }
    writeSync(this.spill.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Writes everything held to stdout, then forgets it. */
  async release(): Promise<void> {
    if (this.spill) {
      this.flushToSpill();
      closeSync(this.spill.fd);
      try {
        await pipeline(createReadStream(join(this.spill.dir, 'out')), process.stdout, { end: false });
      } finally {
        rmSync(this.spill.dir, { recursive: true, force: true });
      }
    } else {
      process.stdout.write(this.parts.join(''));
    }
    this.parts = [];
  }

  discard(): void {
    if (this.spill) {
      closeSync(this.spill.fd);
      rmSync(this.spill.dir, { recursive: true, force: true });
    }
    this.parts = [];
  }
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description("print the PS mission log as seed 001's Mission Control view, one line per decision, after checking the log")
    .argument('<run>', 'a run folder or an events.jsonl file')
    .option('--mission <s256>', 'only this mission')
    .option(
      '--explain',
      "answer the regulator's questions per mission: who approved it, every delegation hop, every decision, termination and the last operation after it",
    )
    .option(
      '--allow-broken',
      'answer from a log that does not verify too, under a banner naming its first bad seq (lines from there on are marked [unverified]); default: refuse, exit 1',
    )
    .option('--public-key <file>', "the signer's public key you trust (as verify --public-key): a log signed by any other key is refused")
    .action(async (target: string, options: ReplayOptions) => {
      try {
        readyRunLog(target);
        const path = eventsPath(target);
        if (!existsSync(path)) throw new UsageError(`${path}: no such file (expected a run folder or an events.jsonl file)`);
        await replay(target, options);
      } catch (error) {
        if (error instanceof VerifyInputError || error instanceof KeyFileError) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

/**
 * Checks the log (chain, session blocks, seal, keys) and builds the answer
 * in the same pass; the answer is printed only once the check is done:
 * under what the signatures prove, or, for a broken log, refused (exit 1)
 * or given under a banner with --allow-broken.
 */
async function replay(target: string, options: ReplayOptions): Promise<void> {
  const path = eventsPath(target);
  const held = new HeldOutput();
  const report = options.explain ? new IncidentReport(options.mission) : undefined;
  const view = new MissionControlView(options.mission);
  let result: VerifyResult;
  try {
    result = verifyLog(target, {
      publicKey: options.publicKey === undefined ? undefined : readPublicKeyFile(options.publicKey),
      readAll: options.allowBroken === true,
      onEvent: (event, verified) => {
        if (report) {
          report.add(event);
          return;
        }
        const line = view.line(event);
        if (line !== undefined) held.write(verified ? `${line}\n` : `${line}  [unverified]\n`);
      },
    });
  } catch (error) {
    held.discard();
    throw error;
  }
  if (!result.ok && !options.allowBroken) {
    held.discard();
    const where = result.seq === null ? `line ${result.line}` : `seq ${result.seq} (line ${result.line})`;
    process.stderr.write(
      `missionbench: refusing to answer from ${path}: ${where}: ${result.kind}: ${result.reason} (pass --allow-broken to answer with a warning)\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${result.ok ? `checked: ${result.events} events, chain intact, sealed; ${trustStatement(result.trust)}` : brokenBanner(result)}\n`);
  if (report) process.stdout.write(`${report.lines().join('\n')}\n`);
  await held.release();
}
