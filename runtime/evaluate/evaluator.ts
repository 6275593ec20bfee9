import jsonata from 'jsonata';
import type { Fragment, Json, SourceLocation, TableSpec } from '../../compiler/artifact.js';
import type { Locate } from './locate.js';
import { LookupError, type LookupHost } from './lookup-host.js';
import { lookupBindings } from './lookups.js';
import { dropNulls, toJson } from './normalise.js';

/**
 * The JSONata host. One evaluator per flow: it compiles each fragment once, binds `$settings`, `$tables`, the
 * standard library and the lookup functions, and runs every evaluation under guardrails (a time budget, a depth
 * limit, a sequence-size limit), so a runaway expression fails its record, not the run. It never throws: an
 * error comes back as a value naming the `.map` place. Pure (no Node-only imports): the playground uses it too.
 */
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
  private readonly locate: Locate;
  private readonly staticBindings: Record<string, unknown>;

  constructor(private readonly options: EvaluatorOptions) {
    this.locate = options.locate ?? defaultLocate;
    this.staticBindings = {
      ...(options.stdlib ?? {}),
      // Settings follow the language's rule too: a `null` setting is absent (`$exists` is false for it).
      settings: dropNulls(options.settings as Json),
      tables: options.tables,
    };
  }

  /**
   * Evaluates a fragment against a source record (normalised here, per the artifact contract). `extra` binds
   * more variables, e.g. `target` for write-back payloads; they are normalised too.
   */
  async evaluate(fragment: Fragment, record: Json, host: LookupHost, extra: Readonly<Record<string, Json>> = {}): Promise<Evaluation> {
    const expression = this.compile(fragment);
    if (!('evaluate' in expression)) return { ok: false, error: expression };
    const bindings: Record<string, unknown> = { ...this.staticBindings, ...lookupBindings(host) };
    for (const [name, value] of Object.entries(extra)) bindings[name] = dropNulls(value);
    try {
      const value: unknown = await expression.evaluate(dropNulls(record), bindings);
      return { ok: true, value: toJson(value) };
    } catch (error) {
      return { ok: false, error: this.describe(fragment, error) };
    }
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
