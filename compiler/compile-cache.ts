import type { FlowDecl, MapFile } from '../language/ast.js';
import type { Diagnostic } from '../language/diagnostic.js';
import { parse, type ParseResult } from '../language/parse.js';
import type { CompiledFlow } from './artifact.js';
import type { ConnectorCatalog } from './catalog.js';
import type { CheckedFlow } from './check/flow.js';

/** One file checked on its own: what its settings and tables gave, and each flow with the diagnostics it gave. */
export interface FileCheck {
  readonly catalog: ConnectorCatalog;
  readonly diagnostics: readonly Diagnostic[];
  readonly flows: readonly { readonly decl: FlowDecl; readonly flow: CheckedFlow | undefined; readonly diagnostics: readonly Diagnostic[] }[];
}

/**
 * What `compile` keeps between calls for a caller that compiles the same files again and again with one of them
 * changed (the playground's checker, on every keystroke): the newest parse of each file by name, each parsed
 * file's check, and each checked flow's emitted form. An unchanged text gives the same tree, so its check and
 * its flows are reused; only flow names cross files, and `compile` still decides those on every call. Nothing
 * in a cached result may be changed by the caller (the compiler never changes a tree or a checked flow).
 */
export class CompileCache {
  private readonly parses = new Map<string, { readonly text: string; readonly parsed: ParseResult }>();
  readonly checks = new WeakMap<MapFile, FileCheck>();
  readonly emitted = new WeakMap<CheckedFlow, CompiledFlow>();

  parse(text: string, file: string): ParseResult {
    const cached = this.parses.get(file);
    if (cached && cached.text === text) return cached.parsed;
    const parsed = parse(text, file);
    this.parses.set(file, { text, parsed });
    return parsed;
  }
}
