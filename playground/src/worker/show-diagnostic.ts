import type { Diagnostic } from '../../../language/diagnostic.js';
import { renderDiagnostic, toJson } from '../../../language/render.js';
import { SourceText } from '../../../language/source-text.js';
import type { ShownDiagnostic, SourceFile } from './protocol.js';

/**
 * Diagnostics as the CLI shows them: the renderer's own JSON form (code, message, hint, line/column) and text
 * block, so the playground never words a problem differently from `mapline check`.
 */
export function showDiagnostics(diagnostics: readonly Diagnostic[], files: readonly SourceFile[]): ShownDiagnostic[] {
  const texts = new Map(files.map((f) => [f.name, new SourceText(f.name, f.text)]));
  return diagnostics.map((d) => {
    const source = texts.get(d.file) ?? new SourceText(d.file, '');
    return { ...toJson(d, source), rendered: renderDiagnostic(d, source) };
  });
}
