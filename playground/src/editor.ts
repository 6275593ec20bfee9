import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import './monaco-features.js';
import type { Range } from '../../language/range.js';
import type { FixJson } from '../../language/render.js';
import type { CheckerClient } from './checker-client.js';
import type { Completion } from './analysis/completion.js';
import { MAP_LANGUAGE_ID, mapLanguageConfiguration, mapTokenizer } from './map-language.js';
import type { ShownDiagnostic } from './worker/protocol.js';

self.MonacoEnvironment = {
  getWorker: () => new Worker(new URL('./workers/editor-worker.ts', import.meta.url), { type: 'module' }),
};

const KIND: Record<Completion['kind'], monaco.languages.CompletionItemKind> = {
  field: monaco.languages.CompletionItemKind.Field,
  target: monaco.languages.CompletionItemKind.Property,
  setting: monaco.languages.CompletionItemKind.Constant,
  table: monaco.languages.CompletionItemKind.Enum,
  connector: monaco.languages.CompletionItemKind.Module,
  entity: monaco.languages.CompletionItemKind.Class,
  function: monaco.languages.CompletionItemKind.Function,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  variable: monaco.languages.CompletionItemKind.Variable,
};

/**
 * The Monaco editor with the `.map` language: colouring, completion and hover answered by the checking worker,
 * problems as markers, and their fixes as quick fixes (the light bulb, Ctrl+.).
 */
export class MapEditor {
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  private highlight: monaco.editor.IEditorDecorationsCollection;
  private shown: readonly ShownDiagnostic[] = [];
  fileName = 'untitled.map';

  constructor(element: HTMLElement, private readonly checker: CheckerClient) {
    monaco.languages.register({ id: MAP_LANGUAGE_ID, extensions: ['.map'] });
    monaco.languages.setMonarchTokensProvider(MAP_LANGUAGE_ID, mapTokenizer);
    monaco.languages.setLanguageConfiguration(MAP_LANGUAGE_ID, mapLanguageConfiguration);
    monaco.languages.registerCompletionItemProvider(MAP_LANGUAGE_ID, {
      triggerCharacters: ['.', ' ', '"'],
      provideCompletionItems: async (model, position) => {
        const items = await this.checker.complete(this.source(model), model.getOffsetAt(position));
        const word = model.getWordUntilPosition(position);
        const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
        return {
          suggestions: items.map((item) => ({
            label: item.label,
            kind: KIND[item.kind],
            insertText: item.insertText ?? item.label,
            range,
            ...(item.detail ? { detail: item.detail } : {}),
            ...(item.documentation ? { documentation: { value: item.documentation } } : {}),
          })),
        };
      },
    });
    monaco.languages.registerHoverProvider(MAP_LANGUAGE_ID, {
      provideHover: async (model, position) => {
        const hover = await this.checker.hover(this.source(model), model.getOffsetAt(position));
        if (!hover) return null;
        const start = model.getPositionAt(hover.start);
        const end = model.getPositionAt(hover.end);
        return { contents: [{ value: hover.markdown }], range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column) };
      },
    });
    monaco.languages.registerCodeActionProvider(MAP_LANGUAGE_ID, {
      provideCodeActions: (model, _range, context) => ({ actions: this.quickFixes(model, context.markers), dispose: () => {} }),
    }, { providedCodeActionKinds: ['quickfix'] });
    this.editor = monaco.editor.create(element, {
      language: MAP_LANGUAGE_ID,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      quickSuggestions: { other: true, comments: false, strings: false },
    });
    this.highlight = this.editor.createDecorationsCollection();
  }

  get text(): string {
    return this.editor.getValue();
  }

  setFile(name: string, text: string): void {
    this.fileName = name;
    this.editor.setValue(text);
  }

  /** Diagnostics as markers: the same code, message and hint the CLI prints. */
  showDiagnostics(diagnostics: readonly ShownDiagnostic[]): void {
    const model = this.editor.getModel();
    if (!model) return;
    this.shown = diagnostics.filter((d) => d.file === this.fileName);
    const markers = this.shown
      .map((d): monaco.editor.IMarkerData => ({
        severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
        code: d.code,
        message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
        startLineNumber: d.line,
        startColumn: d.column,
        endLineNumber: d.endLine,
        // An empty range still gets a visible squiggle.
        endColumn: d.endLine === d.line && d.endColumn <= d.column ? d.column + 1 : d.endColumn,
      }));
    monaco.editor.setModelMarkers(model, 'mapline', markers);
  }

  /** Marks the `.map` lines of a range (the rule behind an output field, the place of a run-time error). */
  highlightRange(range: Range): void {
    const model = this.editor.getModel();
    if (!model) return;
    const start = model.getPositionAt(range.start);
    const end = model.getPositionAt(range.end);
    const lines = new monaco.Range(start.lineNumber, 1, end.lineNumber, model.getLineMaxColumn(end.lineNumber));
    this.highlight.set([{ range: lines, options: { isWholeLine: true, className: 'line-highlight' } }]);
    this.editor.revealLinesInCenterIfOutsideViewport(start.lineNumber, end.lineNumber);
    this.editor.setPosition(start);
  }

  /** Applies a diagnostic's fix to the open file, as one undoable edit. */
  applyFix(fix: FixJson): void {
    this.editor.pushUndoStop();
    this.editor.executeEdits('mapline-quick-fix', [{ range: new monaco.Range(fix.line, fix.column, fix.endLine, fix.endColumn), text: fix.text }]);
    this.editor.pushUndoStop();
    this.editor.focus();
  }

  /** The fixes of the diagnostics behind the markers Monaco asks about (matched by code and start). */
  private quickFixes(model: monaco.editor.ITextModel, markers: readonly monaco.editor.IMarkerData[]): monaco.languages.CodeAction[] {
    return markers.flatMap((marker) => {
      const diagnostic = this.shown.find((d) => d.code === marker.code && d.line === marker.startLineNumber && d.column === marker.startColumn);
      return (diagnostic?.fixes ?? []).map((fix): monaco.languages.CodeAction => ({
        title: fix.title,
        kind: 'quickfix',
        isPreferred: true,
        diagnostics: [marker],
        edit: {
          edits: [{ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: new monaco.Range(fix.line, fix.column, fix.endLine, fix.endColumn), text: fix.text } }],
        },
      }));
    });
  }

  revealLine(line: number, column: number): void {
    this.editor.setPosition({ lineNumber: line, column });
    this.editor.revealLineInCenterIfOutsideViewport(line);
    this.editor.focus();
  }

  private source(model: monaco.editor.ITextModel): { name: string; text: string } {
    return { name: this.fileName, text: model.getValue() };
  }
}

export { monaco };
