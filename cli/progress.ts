/**
 * Progress for long work on stderr: quiet for the first second, then at
 * most a few updates a second (rewritten in place on a terminal), with an
 * estimate of the time left. Wall-clock reads here never reach a simulation.
 */
export class Progress {
  private readonly started = performance.now();
  private lastPrint = 0;
  private printed = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly label: string) {}

  update(fraction: number, detail = ''): void {
    const now = performance.now();
    const elapsed = now - this.started;
    if (elapsed < 1000 || now - this.lastPrint < (this.tty ? 200 : 5000)) return;
    this.lastPrint = now;
    this.printed = true;
    const eta = fraction > 0 ? (elapsed / fraction - elapsed) / 1000 : NaN;
    const line = `${this.label} ${(fraction * 100).toFixed(0).padStart(3)}%  ${detail}  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : '?'}`;
    process.stderr.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(detail = ''): void {
    if (!this.printed) return;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const line = `${this.label} done in ${seconds}s ${detail}`;
    process.stderr.write(this.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
