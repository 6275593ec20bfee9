import type { CompiledArtifact } from '../../../compiler/artifact.js';
import type { DiagnosticJson } from '../../../language/render.js';
import type { Completion } from '../analysis/completion.js';
import type { Hover } from '../analysis/hover.js';

/** Messages between the page and the checking worker. Every answer names the request it answers. */
export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

export type WorkerRequest =
  | { readonly type: 'check'; readonly version: number; readonly files: readonly SourceFile[] }
  | { readonly type: 'complete'; readonly id: number; readonly file: SourceFile; readonly offset: number }
  | { readonly type: 'hover'; readonly id: number; readonly file: SourceFile; readonly offset: number };

/**
 * A diagnostic as the CLI shows it: the value with 1-based line/column (the renderer's `toJson`, what
 * `mapline check --json` prints) and the text block the CLI prints (`renderDiagnostic`).
 */
export interface ShownDiagnostic extends DiagnosticJson {
  readonly rendered: string;
}

export type WorkerResponse =
  | { readonly type: 'checked'; readonly version: number; readonly diagnostics: readonly ShownDiagnostic[]; readonly artifact: CompiledArtifact | null }
  | { readonly type: 'completions'; readonly id: number; readonly items: readonly Completion[] }
  | { readonly type: 'hover'; readonly id: number; readonly hover: Hover | null };
