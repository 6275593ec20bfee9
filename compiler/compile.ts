import type { MapFile } from '../language/ast.js';
import type { Diagnostic } from '../language/diagnostic.js';
import { hasErrors } from '../language/diagnostic.js';
import { parse, type ParseResult } from '../language/parse.js';
import { SourceText } from '../language/source-text.js';
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, type CompiledArtifact, type CompiledFlow } from './artifact.js';
import type { ConnectorCatalog } from './catalog.js';
import { compilerCodes as codes } from './codes.js';
import { checkFlow, type CheckedFlow } from './check/flow.js';
import { collectModule } from './check/module.js';
import { Reporter } from './check/reporter.js';
import { emitFlow } from './emit/flow.js';
import { fnv1a } from './hash.js';

export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

export interface CompileInput {
  readonly files: readonly SourceFile[];
  readonly connectors: ConnectorCatalog;
  /**
   * Parses one file; default `parse`. An editor that compiles every file on each keystroke passes one that
   * keeps the results of unchanged texts (the checker never changes a parsed tree).
   */
  readonly parse?: (text: string, file: string) => ParseResult;
}

export interface CompileResult {
  /** Null when any file has an error; warnings alone still give an artifact. */
  readonly artifact: CompiledArtifact | null;
  readonly diagnostics: readonly Diagnostic[];
  /** The parsed files, for tools (the playground's completion reads them). */
  readonly asts: readonly MapFile[];
}

/**
 * Parses, checks and emits a set of `.map` files. Settings and tables are scoped to their file; flow names are
 * global. Never throws on any input: every problem is a diagnostic.
 */
export function compile(input: CompileInput): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const asts: MapFile[] = [];
  const checked: CheckedFlow[] = [];
  const flowNames = new Map<string, { file: string; line: number }>();
  const parseFile = input.parse ?? parse;
  for (const file of input.files) {
    const source = new SourceText(file.name, file.text);
    const parsed = parseFile(file.text, file.name);
    asts.push(parsed.ast);
    diagnostics.push(...parsed.diagnostics);
    const reporter = new Reporter(source);
    try {
      const module = { reporter, catalog: input.connectors, ...collectModule(parsed.ast, reporter) };
      for (const item of parsed.ast.items) {
        if (item.kind !== 'Flow') continue;
        const previous = flowNames.get(item.name.name);
        if (previous) {
          reporter.error(codes.duplicateName, item.name.range, {
            what: 'flow', name: item.name.name, line: previous.file === file.name ? previous.line : `${previous.line} of ${previous.file}`,
          });
          continue;
        }
        flowNames.set(item.name.name, { file: file.name, line: reporter.line(item.name.range) });
        const flow = checkFlow(item, module);
        if (flow) checked.push(flow);
      }
    } catch (error) {
      // A compiler bug must not take the user's editor or CLI down: report it where the file starts.
      reporter.error(codes.internalError, { start: 0, end: 0 }, { message: error instanceof Error ? error.message : String(error) });
    }
    diagnostics.push(...reporter.diagnostics);
  }
  if (hasErrors(diagnostics)) return { artifact: null, diagnostics: sortDiagnostics(diagnostics), asts };
  let flows: CompiledFlow[];
  try {
    flows = checked.map(emitFlow);
  } catch (error) {
    const file = input.files[0]?.name ?? '<input>';
    diagnostics.push({ code: codes.internalError.code, severity: 'error', message: `internal compiler error: ${String(error)}`, file, range: { start: 0, end: 0 } });
    return { artifact: null, diagnostics, asts };
  }
  const artifact: CompiledArtifact = {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    files: input.files.map((f) => ({ name: f.name, hash: fnv1a(f.text) })),
    flows,
  };
  return { artifact, diagnostics: sortDiagnostics(diagnostics), asts };
}

/** Checks without emitting: the diagnostics `compile` would give. */
export function check(input: CompileInput): readonly Diagnostic[] {
  return compile(input).diagnostics;
}

function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.range.start - b.range.start || a.code.localeCompare(b.code));
}
