// progress.mjs: a one-line progress bar on stderr, redrawn in place with a carriage return, so that
// stdout stays clean for JSON and CSV. Shown when stderr is a terminal, or when asked with --progress.

export class Progress {
  /** stream: where to draw (stderr); enabled: draw or stay silent; label: words before the bar. */
  constructor(stream, enabled, label, total) {
    this.stream = stream;
    this.enabled = enabled && total > 0;
    this.label = label;
    this.total = total;
    this.width = 30;
    this.lastDrawn = -1;
    this.started = Date.now();
  }

  /** Draws done/total with an optional note (for example the current loss); at most 100 redraws. */
  update(done, note = '') {
    if (!this.enabled) return;
    const percent = Math.floor((100 * done) / this.total);
    if (percent === this.lastDrawn && done < this.total) return;
    this.lastDrawn = percent;
    const filled = Math.round((this.width * done) / this.total);
    const bar = '#'.repeat(filled) + '-'.repeat(this.width - filled);
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    this.stream.write(`\r${this.label} [${bar}] ${String(percent).padStart(3)}% ${done}/${this.total} ${seconds}s ${note}`.trimEnd() + '\x1b[K');
  }

  /** Ends the line so what follows starts on a fresh one. */
  done() {
    if (this.enabled && this.lastDrawn >= 0) this.stream.write('\n');
  }
}

/** Whether to draw: --progress forces it, --quiet silences it, else only on a terminal. */
export function progressWanted(values, stream) {
  if (values.quiet) return false;
  return Boolean(values.progress || stream.isTTY);
}

/** The flags every long-running command takes for the bar; progressWanted() reads them. */
export const PROGRESS_FLAGS = {
  progress: { type: 'bool', help: 'draw the progress bar on stderr even when it is not a terminal' },
  quiet: { type: 'bool', help: 'no progress bar' },
};
