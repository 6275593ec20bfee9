import type { Range } from '../../language/range.js';
import type { SourceSegment } from '../artifact.js';

/**
 * Builds JSONata text and, as it goes, the source map from stretches of that text back to `.map` ranges.
 * `from`/`to` are offsets into the text being written; nested nodes add nested segments.
 */
export class JsonataWriter {
  private text = '';
  private readonly segments: SourceSegment[] = [];
  private indent = 0;

  write(text: string): this {
    this.text += text;
    return this;
  }

  /** Writes what `body` writes and maps it to `range`. */
  mapped(range: Range, body: () => void): this {
    const from = this.text.length;
    body();
    this.segments.push({ from, to: this.text.length, range });
    return this;
  }

  newline(): this {
    this.text += `\n${'  '.repeat(this.indent)}`;
    return this;
  }

  indented(body: () => void): this {
    this.indent++;
    body();
    this.indent--;
    return this;
  }

  /** Appends another writer's text and segments (shifted to where they land). */
  append(other: JsonataWriter): this {
    const shift = this.text.length;
    const done = other.finish();
    this.text += done.text;
    for (const s of done.segments) this.segments.push({ from: s.from + shift, to: s.to + shift, range: s.range });
    return this;
  }

  get currentIndent(): number {
    return this.indent;
  }

  withIndent(indent: number): this {
    this.indent = indent;
    return this;
  }

  finish(): { text: string; segments: SourceSegment[] } {
    return { text: this.text, segments: [...this.segments].sort((a, b) => a.from - b.from || b.to - a.to) };
  }
}

/** A JSONata path step: plain when it is a simple name, in backticks otherwise. */
export function pathStep(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !jsonataKeywords.has(name) ? name : `\`${name.replace(/`/g, '')}\``;
}

const jsonataKeywords = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
