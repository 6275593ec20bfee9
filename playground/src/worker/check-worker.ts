/// <reference lib="webworker" />
import { compile, CompileCache } from '../../../compiler/index.js';
import { connectors } from '../../../connectors/registry.js';
import type { MapFile } from '../../../language/ast.js';
import { completionsAt } from '../analysis/completion.js';
import { hoverAt } from '../analysis/hover.js';
import { showDiagnostics } from './show-diagnostic.js';
import type { SourceFile, WorkerRequest, WorkerResponse } from './protocol.js';

/**
 * Checks and compiles in a worker so typing never waits for the compiler. The page sends every edit; only the
 * newest version is compiled (requests that piled up while a compile ran are skipped).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
let pendingCheck: Extract<WorkerRequest, { type: 'check' }> | undefined;
let scheduled = false;

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'check') {
    pendingCheck = request;
    if (!scheduled) {
      scheduled = true;
      // Let queued messages arrive first, so a burst of keystrokes compiles once.
      setTimeout(runCheck, 0);
    }
    return;
  }
  const ast = astOf(request.file);
  if (request.type === 'complete') {
    post({ type: 'completions', id: request.id, items: completionsAt(ast, request.file.text, request.offset, connectors) });
  } else {
    post({ type: 'hover', id: request.id, hover: hoverAt(ast, request.file.text, request.offset, connectors) ?? null });
  }
};

function runCheck(): void {
  scheduled = false;
  const request = pendingCheck;
  pendingCheck = undefined;
  if (!request) return;
  const result = compile({ files: request.files, connectors, cache });
  post({ type: 'checked', version: request.version, diagnostics: showDiagnostics(result.diagnostics, request.files), artifact: result.artifact });
}

/**
 * Typing changes one file, and every check compiles them all: the others' parse trees, checks and emitted flows
 * are reused (see CompileCache). Completion and hover read the same trees.
 */
const cache = new CompileCache();

function astOf(file: SourceFile): MapFile {
  return cache.parse(file.text, file.name).ast;
}

function post(response: WorkerResponse): void {
  scope.postMessage(response);
}
