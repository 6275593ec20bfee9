import { LOOKUP_FUNCTIONS } from '../../../compiler/artifact.js';
import type { LookupHost } from '../lookup-host.js';
import { lookupBindings, lookupNow, NOT_NOW, type LookupFunction } from '../lookups.js';
import { NotForJs, type Focus } from './builtins.js';
import { compileProgram, Suspend, type AstNode, type Program, type Run } from './compile.js';
import { deepEqual, jsonataError, sequenceFactory, withMessage } from './values.js';

export { NotForJs } from './builtins.js';
export type { AstNode, Program } from './compile.js';

export interface JsLimits {
  readonly timeoutMs: number;
  readonly maxDepth: number;
  readonly maxSequence: number;
}

interface Answer {
  readonly name: LookupFunction;
  readonly args: readonly unknown[];
  readonly value?: unknown;
  /** Set when the host's answer was a failure: thrown again where the replay asks, inside the closures. */
  readonly failure?: { readonly error: unknown };
}

/**
 * Runs compiled programs. An evaluation is one synchronous call of the program's closures; a lookup the host
 * cannot answer without waiting suspends it: the answer is awaited, and the evaluation is replayed from the
 * start with the answers so far given back in order (the closures are deterministic, so the replay asks the same
 * questions), until it completes. A host with `lookupNow` (the engine's, over prefetched data) never suspends.
 */
export class JsBackend {
  constructor(
    private readonly bindings: Readonly<Record<string, unknown>>,
    private readonly limits: JsLimits,
  ) {}

  /** The program for a parsed fragment, or `NotForJs` saying why JSONata keeps it. */
  async compile(ast: AstNode): Promise<Program | NotForJs> {
    try {
      return await compileProgram(ast, { bindings: this.bindings, lookups: lookupNames });
    } catch (error) {
      if (error instanceof NotForJs) return error;
      throw error;
    }
  }

  /**
   * Evaluates `program` on a normalised record. Throws what JSONata would throw (a JSONata-style error, a
   * `LookupError`), or `NotForJs` when the data leads where this backend does not go.
   */
  async evaluate(program: Program, root: unknown, host: LookupHost, extra: Readonly<Record<string, unknown>> | undefined): Promise<unknown> {
    if (Array.isArray(root)) throw new NotForJs('a list as the input record');
    const { timeoutMs, maxDepth, maxSequence } = this.limits;
    const deadline = Date.now() + timeoutMs;
    const focus: Focus = {
      environment: { timestamp: program.usesTime ? new Date() : null, async: false, isParallelCall: false },
      input: undefined,
      options: { timeout: timeoutMs, stack: maxDepth, sequence: maxSequence },
      createSequence: sequenceFactory(maxSequence),
    };
    const answers: Answer[] = [];
    let bindings: ReturnType<typeof lookupBindings> | undefined;
    for (;;) {
      let asked = 0;
      const run: Run = {
        root,
        locals: [],
        extra,
        focus,
        limit: maxSequence,
        deadline,
        timeoutMs,
        lookup(name, args) {
          if (asked < answers.length) {
            const answer = answers[asked++]!;
            if (answer.name !== name || !deepEqual(answer.args, args)) throw new NotForJs('a replay that asked another question');
            if (answer.failure) throw answer.failure.error;
            return answer.value;
          }
          const now = lookupNow(host, name, args);
          if (now !== NOT_NOW) {
            answers.push({ name, args, value: now });
            asked++;
            return now;
          }
          bindings ??= lookupBindings(host);
          // A failed answer is replayed too: thrown inside the closures, it gets the position and token each
          // enclosing node gives it, as the same error thrown at once (and in JSONata) does.
          const pending = bindings[name](...args).then(
            (value) => void answers.push({ name, args, value }),
            (error: unknown) => void answers.push({ name, args, failure: { error } }),
          );
          throw new Suspend(pending);
        },
      };
      try {
        return program.code(root, run);
      } catch (error) {
        if (!(error instanceof Suspend)) throw withMessage(error);
        await error.pending;
        if (Date.now() > deadline) throw withMessage(jsonataError('D1012', { value: timeoutMs }));
      }
    }
  }
}

const lookupNames: ReadonlySet<string> = new Set(LOOKUP_FUNCTIONS);
