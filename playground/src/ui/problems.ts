import type { FixJson } from '../../../language/render.js';
import type { ShownDiagnostic } from '../worker/protocol.js';
import { el } from './dom.js';

export interface ProblemActions {
  /** Jump to the problem (opening its file first when it is another one). */
  reveal(diagnostic: ShownDiagnostic): void;
  fix(diagnostic: ShownDiagnostic, fix: FixJson): void;
}

/**
 * The problems list under the editor, for every open file (they compile together, so an error in one stops the
 * run of all): a count, then each file's problems as the CLI prints them, the open file first. A click jumps
 * to the place; a fix button applies the diagnostic's quick fix.
 */
export function renderProblems(container: HTMLElement, diagnostics: readonly ShownDiagnostic[], openFile: string, actions: ProblemActions): void {
  container.replaceChildren();
  if (diagnostics.length === 0) {
    container.append(el('div', { class: 'ok', 'data-testid': 'no-problems' }, 'No problems: the mappings compile.'));
    return;
  }
  const files = [...new Set(diagnostics.map((d) => d.file))].sort((a, b) => Number(b === openFile) - Number(a === openFile) || a.localeCompare(b));
  container.append(el('div', { class: 'problems-head', 'data-testid': 'problem-count', 'data-count': String(diagnostics.length) }, summary(diagnostics, files.length)));
  for (const file of files) {
    const own = diagnostics.filter((d) => d.file === file);
    container.append(el('h4', { 'data-file': file }, `${file} (${own.length})`));
    for (const diagnostic of own) {
      const block = el('div', { class: `problem ${diagnostic.severity}`, 'data-file': file, 'data-code': diagnostic.code, 'data-line': String(diagnostic.line) });
      const text = el('pre', {}, diagnostic.rendered);
      text.addEventListener('click', () => actions.reveal(diagnostic));
      block.append(text);
      for (const fix of diagnostic.fixes ?? []) {
        const button = el('button', { 'data-testid': 'fix', title: `Quick fix (Ctrl+. in the editor): line ${fix.line}` }, fix.title);
        button.addEventListener('click', () => actions.fix(diagnostic, fix));
        block.append(button);
      }
      container.append(block);
    }
  }
}

/** `3 problems in 2 files: 2 errors, 1 warning`. */
export function summary(diagnostics: readonly ShownDiagnostic[], fileCount: number): string {
  const count = (severity: ShownDiagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), plural(count('info'), 'note')].filter((p) => !p.startsWith('0 '));
  return `${plural(diagnostics.length, 'problem')}${fileCount > 1 ? ` in ${fileCount} files` : ''}: ${parts.join(', ')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
