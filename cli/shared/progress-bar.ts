/** One line on stderr, redrawn at most ten times a second; only on a terminal. */
export class ProgressBar {
  private last = 0;
  private drawn = false;

  update(flow: string, done: number, total: number): void {
    const now = Date.now();
    if (done < total && now - this.last < 100) return;
    this.last = now;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r${flow} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
