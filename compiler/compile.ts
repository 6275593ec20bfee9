import type { MapFile } from '../language/ast.js';
import type { Diagnostic } from '../language/diagnostic.js';
import { hasErrors } from '../language/diagnostic.js';
import { parse } from '../language/parse.js';
import { SourceText } from '../language/source-text.js';
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, type CompiledArtifact, type CompiledFlow } from './artifact.js';
import type { ConnectorCatalog } from './catalog.js';
import { compilerCodes as codes } from './codes.js';
import { checkFlow, type CheckedFlow } from './check/flow.js';
import type { CompileCache, FileCheck } from './compile-cache.js';
import { collectModule } from './check/module.js';
import { Reporter } from './check/reporter.js';
import { emitFlow } from './emit/flow.js';
import { mergeVariantDiagnostics, variantsOf } from './check/variants.js';
import { fnv1a } from './hash.js';

export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

export interface CompileInput {
  readonly files: readonly SourceFile[];
  readonly connectors: ConnectorCatalog;
  /** Kept between calls by a caller that compiles on every edit: unchanged files are not parsed or checked again. */
  readonly cache?: CompileCache;
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
  const syntax = new Set<Diagnostic>();
  const asts: MapFile[] = [];
  const checked: CheckedFlow[] = [];
  const flowNames = new Map<string, { file: string; line: number }>();
  const { cache } = input;
  for (const file of input.files) {
    const source = new SourceText(file.name, file.text);
    const parsed = cache ? cache.parse(file.text, file.name) : parse(file.text, file.name);
    asts.push(parsed.ast);
    diagnostics.push(...parsed.diagnostics);
    for (const diagnostic of parsed.diagnostics) syntax.add(diagnostic);
    let fileCheck = cache?.checks.get(parsed.ast);
    if (!fileCheck || fileCheck.catalog !== input.connectors) {
      fileCheck = checkFile(parsed.ast, source, input.connectors);
      cache?.checks.set(parsed.ast, fileCheck);
    }
    diagnostics.push(...fileCheck.diagnostics);
    // Flow names are global: the first flow of a name counts, a later one is an error (and its own problems wait).
    const reporter = new Reporter(source);
    for (const { decl, flow, diagnostics: own } of fileCheck.flows) {
      const previous = flowNames.get(decl.name.name);
      if (previous) {
        reporter.error(codes.duplicateName, decl.name.range, {
          what: 'flow', name: decl.name.name, line: previous.file === file.name ? previous.line : `${previous.line} of ${previous.file}`,
        });
        continue;
      }
      flowNames.set(decl.name.name, { file: file.name, line: reporter.line(decl.name.range) });
      diagnostics.push(...own);
      if (flow) checked.push(flow);
    }
    diagnostics.push(...reporter.diagnostics);
  }
  if (hasErrors(diagnostics)) return { artifact: null, diagnostics: sortDiagnostics(diagnostics, syntax), asts };
  let flows: CompiledFlow[];
  try {
    flows = checked.map((flow) => {
      const emitted = cache?.emitted.get(flow) ?? emitFlow(flow);
      cache?.emitted.set(flow, emitted);
      return emitted;
    });
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
  return { artifact, diagnostics: sortDiagnostics(diagnostics, syntax), asts };
}

/** A file's settings, tables and flows checked on their own, each flow with the diagnostics it gave. */
function checkFile(ast: MapFile, source: SourceText, catalog: ConnectorCatalog): FileCheck {
  // A flow whose target a setting chooses gives one entry per variant (see check/variants.ts).
  const reporter = new Reporter(source);
  const flows: FileCheck['flows'][number][] = [];
  try {
    const module = { reporter, catalog, ...collectModule(ast, reporter) };
    for (const item of ast.items) {
      if (item.kind !== 'Flow') continue;
      const before = reporter.diagnostics.length;
      const variants = variantsOf(item, module);
      const choiceProblems = reporter.diagnostics.splice(before);
      // Each variant is checked on its own; their diagnostics are merged so a problem common to all shows once.
      const checked = variants.map(({ decl, variant }) => {
        const own = new Reporter(source);
        const flow = checkFlow(decl, { ...module, reporter: own }, variant);
        return { decl, flow, variant, diagnostics: own.diagnostics };
      });
      const merged = [...choiceProblems, ...mergeVariantDiagnostics(checked)];
      if (checked.length === 0) flows.push({ decl: item, flow: undefined, diagnostics: merged });
      checked.forEach(({ decl, flow }, i) => flows.push({ decl, flow, diagnostics: i === 0 ? merged : [] }));
    }
  } catch (error) {
    // A compiler bug must not take the user's editor or CLI down: report it where the file starts.
    reporter.error(codes.internalError, { start: 0, end: 0 }, { message: error instanceof Error ? error.message : String(error) });
  }
  return { catalog, diagnostics: reporter.diagnostics, flows };
}

/** Checks without emitting: the diagnostics `compile` would give. */
export function check(input: CompileInput): readonly Diagnostic[] {
  return compile(input).diagnostics;
}

/**
 * Per file, the syntax errors first, then what the checker found, each by position: a statement the parser had
 * to drop causes follow-on errors (a required field "has no rule"), and those often sit earlier in the file (at
 * the flow's head), so sorting only by position would list the effect before its cause.
 */
function sortDiagnostics(list: readonly Diagnostic[], syntax: ReadonlySet<Diagnostic>): Diagnostic[] {
  const phase = (d: Diagnostic): number => (syntax.has(d) ? 0 : 1);
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || phase(a) - phase(b) || a.range.start - b.range.start || a.code.localeCompare(b.code));
}
