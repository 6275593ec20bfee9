import { readFileSync, statSync } from 'node:fs';
import type { SourceFile } from '../../compiler/index.js';
import type { Diagnostic } from '../../language/diagnostic.js';
import { renderDiagnostics, toJson } from '../../language/render.js';
import { SourceText } from '../../language/source-text.js';

/** A usage problem: the CLI prints it and exits with 2. */
export class UsageError extends Error {}

/** Reads the named `.map` files; a missing or unreadable file is a usage error naming it. */
export function readMapFiles(paths: readonly string[]): SourceFile[] {
  if (paths.length === 0) throw new UsageError('no .map file given');
  return paths.map((path) => {
    try {
      if (!statSync(path).isFile()) throw new UsageError(`${path} is not a file`);
      return { name: path, text: readFileSync(path, 'utf8') };
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  });
}

export function sourcesOf(files: readonly SourceFile[]): Map<string, SourceText> {
  return new Map(files.map((f) => [f.name, new SourceText(f.name, f.text)]));
}

/** Diagnostics as people read them: the same rendering the playground shows. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], files: readonly SourceFile[], color: boolean): string {
  return renderDiagnostics(diagnostics, sourcesOf(files), { color });
}

/** Diagnostics as JSON, with 1-based line and column added. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[], files: readonly SourceFile[]): unknown[] {
  const sources = sourcesOf(files);
  return diagnostics.map((d) => {
    const source = sources.get(d.file);
    return source ? toJson(d, source) : d;
  });
}

export function summaryLine(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  if (errors === 0 && warnings === 0) return `${files} checked: no problems`;
  return `${files} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
