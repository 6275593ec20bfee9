import type { CodeSpec } from '../../language/codes.js';
import { formatTemplate } from '../../language/codes.js';
import type { Diagnostic, Fix, Severity } from '../../language/diagnostic.js';
import type { Range } from '../../language/range.js';
import type { SourceText } from '../../language/source-text.js';

type Args = Readonly<Record<string, string | number | undefined>>;

/** Collects one file's diagnostics. A hint whose template needs an argument that is missing is left out. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly source: SourceText) {}

  get file(): string {
    return this.source.file;
  }

  /** `fixes`: quick fixes for an editor (see `didYouMean`); left out when there are none. */
  error(spec: CodeSpec, range: Range, args: Args = {}, fixes: readonly Fix[] = []): void {
    this.report(spec, range, args, 'error', fixes);
  }

  warning(spec: CodeSpec, range: Range, args: Args = {}, fixes: readonly Fix[] = []): void {
    this.report(spec, range, args, 'warning', fixes);
  }

  /** 1-based line of an offset, for hints such as "the first rule is at line 12". */
  line(range: Range): number {
    return this.source.lineCol(range.start).line;
  }

  private report(spec: CodeSpec, range: Range, args: Args, severity: Severity, fixes: readonly Fix[]): void {
    const defined: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(args)) if (value !== undefined) defined[key] = value;
    const hint = spec.hint && hasAll(spec.hint, defined) ? formatTemplate(spec.hint, defined) : undefined;
    this.diagnostics.push({
      code: spec.code,
      severity,
      message: formatTemplate(spec.template, defined),
      file: this.source.file,
      range,
      ...(hint ? { hint } : {}),
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
}

function hasAll(template: string, args: Readonly<Record<string, unknown>>): boolean {
  for (const match of template.matchAll(/\{(\w+)\}/g)) if (!(match[1]! in args)) return false;
  return true;
}
