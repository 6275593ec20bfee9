import type { SourceLocation } from '../../compiler/artifact.js';
import { SourceText } from '../../language/source-text.js';

/** Renders an artifact location for people: `orders.map:42:5`. */
export type Locate = (location: SourceLocation) => string;

/**
 * Turns offsets into `file:line:col` using the `.map` texts when the caller has them (the CLI compiled them; the
 * playground edits them). Without the text a location still names its file and offset.
 */
export function locatorFor(texts: Readonly<Record<string, string>>): Locate {
  const cache = new Map<string, SourceText>();
  return (location) => {
    const text = Object.hasOwn(texts, location.file) ? texts[location.file] : undefined;
    if (text === undefined) return `${location.file}@${location.range.start}`;
    let source = cache.get(location.file);
    if (!source) {
      source = new SourceText(location.file, text);
      cache.set(location.file, source);
    }
    const { line, column } = source.lineCol(location.range.start);
    return `${location.file}:${line}:${column}`;
  };
}
