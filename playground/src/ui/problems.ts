import type { ShownDiagnostic } from '../worker/protocol.js';
import { el } from './dom.js';

/** The problems list under the editor: each diagnostic as the CLI prints it; a click jumps to its place. */
export function renderProblems(container: HTMLElement, diagnostics: readonly ShownDiagnostic[], reveal: (d: ShownDiagnostic) => void): void {
  container.replaceChildren();
  if (diagnostics.length === 0) {
    container.append(el('div', { class: 'ok', 'data-testid': 'no-problems' }, 'No problems: the mapping compiles.'));
    return;
  }
  for (const diagnostic of diagnostics) {
    const block = el('pre', { class: diagnostic.severity, 'data-code': diagnostic.code, 'data-line': String(diagnostic.line) }, diagnostic.rendered);
    block.addEventListener('click', () => reveal(diagnostic));
    container.append(block);
  }
}
