import jsonata from 'jsonata';
import type { Fragment, Json, SourceLocation, TableSpec } from '../../compiler/artifact.js';
import type { Locate } from './locate.js';
import { LookupError, type LookupHost } from './lookup-host.js';
import { lookupBindings } from './lookups.js';
import { dropNulls, toJson } from './normalise.js';
import { JsBackend, NotForJs, type AstNode, type Program } from './js/backend.js';

/**
 * The JSONata host. One evaluator per flow: it compiles each fragment once, binds `$settings`, `$tables`, the
 * standard library and the lookup functions, and runs every evaluation under guardrails (a time budget, a depth
 * limit, a sequence-size limit), so a runaway expression fails its record, not the run. It never throws: an
 * error comes back as a value naming the `.map` place. Pure (no Node-only imports): the playground uses it too.
 *
 * Two backends run a fragment: JSONata itself, and the JavaScript backend (`js/`), which compiles the same
 * JSONata, as JSONata parses it, to synchronous closures with JSONata's semantics, many times faster. By default
 * (`auto`) a fragment runs on the JavaScript backend when it compiles there, and on JSONata otherwise; an
 * evaluation that fails there (or meets data it leaves to JSONata) is run again by JSONata, so every error a
 * merchant sees is JSONata's own, with its `.map` place. `jsonata` forces JSONata; `js` runs the JavaScript
 * backend alone and reports its errors (for the differential test).
 */
export type Backend = 'auto' | 'jsonata' | 'js';
export const BACKENDS: readonly Backend[] = ['auto', 'jsonata', 'js'];

export interface EvaluatorOptions {
  /** The flow's settings after config overrides, by name. */
  readonly settings: Readonly<Record<string, Json>>;
  readonly tables: Readonly<Record<string, TableSpec>>;
  /** Functions bound by name (the compiler's standard library), called from fragments as `$name(...)`. */
  readonly stdlib?: Readonly<Record<string, unknown>>;
  readonly locate?: Locate;
  /** Wall-clock budget per evaluation (default 2000 ms), lookups included. */
  readonly timeoutMs?: number;
  /** Maximum evaluation depth (default 500): catches runaway recursion. */
  readonly maxDepth?: number;
  /** Maximum length of any sequence built (default 100000): catches runaway ranges like `[1..1e9]`. */
  readonly maxSequence?: number;
  /** Which backend runs fragments (default `auto`). */
  readonly backend?: Backend;
}

/** How many evaluations each backend did: `fallback` counts those the JavaScript backend handed to JSONata. */
export interface BackendCounts {
  js: number;
  jsonata: number;
  fallback: number;
}

export type Evaluation = { readonly ok: true; readonly value: Json | undefined } | { readonly ok: false; readonly error: EvaluationError };

export interface EvaluationError {
  /** `orders.map:42:5: no eaccounting.articles with Number = "SKU-1"` */
  readonly message: string;
  /** `orders.map:42:5` */
  readonly where: string;
  readonly location: SourceLocation;
  /** The JSONata error code (`D1012` timeout, `D1011` too deep, `T2001` ...) or `lookup`/`compile`. */
  readonly code: string;
  /** Set when a lookup failed the record: which entity, key and value (the SKU of a missing article). */
  readonly lookup?: { readonly entity: string; readonly key: string; readonly value: Json | undefined; readonly kind: LookupError['kind'] };
}

const defaultLocate: Locate = (location) => `${location.file}@${location.range.start}`;

export class FlowEvaluator {
  private readonly compiled = new Map<string, jsonata.Expression | EvaluationError>();
  private readonly programs = new Map<string, Promise<Program | NotForJs>>();
  private readonly locate: Locate;
  private readonly staticBindings: Record<string, unknown>;
  private readonly backend: Backend;
  private readonly js: JsBackend;
  readonly counts: BackendCounts = { js: 0, jsonata: 0, fallback: 0 };

  constructor(private readonly options: EvaluatorOptions) {
    this.locate = options.locate ?? defaultLocate;
    this.staticBindings = {
      ...(options.stdlib ?? {}),
      // Settings follow the language's rule too: a `null` setting is absent (`$exists` is false for it).
      settings: dropNulls(options.settings as Json),
      tables: options.tables,
    };
    this.backend = options.backend ?? 'auto';
    this.js = new JsBackend(this.staticBindings, this.limits);
  }

  private get limits(): { timeoutMs: number; maxDepth: number; maxSequence: number } {
    return { timeoutMs: this.options.timeoutMs ?? 2000, maxDepth: this.options.maxDepth ?? 500, maxSequence: this.options.maxSequence ?? 100_000 };
  }

  /**
   * Evaluates a fragment against a source record (normalised here, per the artifact contract). `extra` binds
   * more variables, e.g. `target` for write-back payloads; they are normalised too.
   */
  async evaluate(fragment: Fragment, record: Json, host: LookupHost, extra: Readonly<Record<string, Json>> = {}): Promise<Evaluation> {
    const expression = this.compile(fragment);
    if (!('evaluate' in expression)) return { ok: false, error: expression };
    const input = dropNulls(record);
    let extraBindings: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(extra)) (extraBindings ??= {})[name] = dropNulls(value);
    if (this.backend !== 'jsonata') {
      const program = await this.program(fragment, expression);
      if (program instanceof NotForJs) {
        if (this.backend === 'js') return { ok: false, error: { ...this.describe(fragment, program), code: 'js' } };
      } else {
        try {
          const value = await this.js.evaluate(program, input, host, extraBindings);
          this.counts.js++;
          return { ok: true, value: toJson(value) };
        } catch (error) {
          if (this.backend === 'js') return { ok: false, error: this.describe(fragment, error) };
          // JSONata decides every failure: the same error, message and place as without this backend.
          this.counts.fallback++;
        }
      }
    }
    this.counts.jsonata++;
    const bindings: Record<string, unknown> = { ...this.staticBindings, ...lookupBindings(host), ...extraBindings };
    try {
      const value: unknown = await expression.evaluate(input, bindings);
      return { ok: true, value: toJson(value) };
    } catch (error) {
      return { ok: false, error: this.describe(fragment, error) };
    }
  }

  /** Which backend evaluates `fragment` (when nothing in the data sends it to JSONata), and why not the JavaScript one. */
  async backendFor(fragment: Fragment): Promise<{ backend: 'js' | 'jsonata'; reason?: string }> {
    if (this.backend === 'jsonata') return { backend: 'jsonata', reason: 'JSONata is forced' };
    const expression = this.compile(fragment);
    if (!('evaluate' in expression)) return { backend: 'jsonata', reason: expression.message };
    const program = await this.program(fragment, expression);
    return program instanceof NotForJs ? { backend: 'jsonata', reason: program.message } : { backend: 'js' };
  }

  private program(fragment: Fragment, expression: jsonata.Expression): Promise<Program | NotForJs> {
    let program = this.programs.get(fragment.jsonata);
    if (program === undefined) {
      program = this.js.compile(expression.ast() as unknown as AstNode);
      this.programs.set(fragment.jsonata, program);
    }
    return program;
  }

  /** How many distinct fragments were compiled (each is compiled once, however many records run). */
  get compiledCount(): number {
    return this.compiled.size;
  }

  private compile(fragment: Fragment): jsonata.Expression | EvaluationError {
    let entry = this.compiled.get(fragment.jsonata);
    if (entry === undefined) {
      try {
        entry = jsonata(fragment.jsonata, {
          timeout: this.options.timeoutMs ?? 2000,
          stack: this.options.maxDepth ?? 500,
          sequence: this.options.maxSequence ?? 100_000,
        });
      } catch (error) {
        entry = { ...this.describe(fragment, error), code: 'compile' };
      }
      this.compiled.set(fragment.jsonata, entry);
    }
    return entry;
  }

  private describe(fragment: Fragment, error: unknown): EvaluationError {
    const details = (error ?? {}) as { code?: unknown; message?: unknown; position?: unknown };
    const position = typeof details.position === 'number' ? details.position : undefined;
    const location = locationOf(fragment, position);
    const where = this.locate(location);
    if (error instanceof LookupError) {
      return {
        message: `${where}: ${error.message}`,
        where,
        location,
        code: 'lookup',
        lookup: { entity: error.entity, key: error.key, value: error.value, kind: error.kind },
      };
    }
    const code = typeof details.code === 'string' ? details.code : 'error';
    const text = typeof details.message === 'string' && details.message !== '' ? details.message : String(error);
    return { message: `${where}: ${explain(code, text)}`, where, location, code };
  }
}

/** The guardrail errors get words a merchant understands; other JSONata messages are already readable. */
function explain(code: string, message: string): string {
  if (code === 'D1012') return 'the expression ran too long and was stopped (is there a runaway loop?)';
  if (code === 'D1011') return 'the expression nested too deeply and was stopped (is there a runaway recursion?)';
  if (code === 'D2015') return 'the expression built a sequence that is too long and was stopped';
  return message;
}

/**
 * The `.map` place of a JSONata error: the innermost source segment containing the error position (JSONata
 * reports the offset just past the offending token), else the whole fragment's location.
 */
function locationOf(fragment: Fragment, position: number | undefined): SourceLocation {
  const segments = fragment.segments ?? [];
  if (position === undefined || segments.length === 0) return fragment.location;
  let best: (typeof segments)[number] | undefined;
  for (const segment of segments) {
    if (segment.from < position && position <= segment.to) {
      if (!best || segment.to - segment.from < best.to - best.from) best = segment;
    }
  }
  return best ? { file: fragment.location.file, range: best.range } : fragment.location;
}
