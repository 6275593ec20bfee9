/**
 * A coded catalogue of diagnostics with message templates, in the manner of JSONata's error catalogue: each
 * code has a fixed meaning, a template with `{name}` holes, and an example, so the docs and the tests can list
 * them all. `language/` owns the ML1xxx (lexical and syntax) codes; `compiler/` adds its own through the same
 * `defineCodes`.
 */
export interface CodeSpec {
  readonly code: string;
  readonly title: string;
  /** Message template; `{name}` is replaced by the argument of that name. */
  readonly template: string;
  /** Optional hint template. */
  readonly hint?: string;
  /** A `.map` snippet that produces this diagnostic (checked by the docs tests). */
  readonly example?: string;
}

export type Catalogue<K extends string> = { readonly [P in K]: CodeSpec };

const allCodes = new Map<string, CodeSpec>();

export function defineCodes<K extends string>(codes: Catalogue<K>): Catalogue<K> {
  for (const spec of Object.values<CodeSpec>(codes)) {
    const existing = allCodes.get(spec.code);
    if (existing && existing !== spec) throw new Error(`diagnostic code ${spec.code} defined twice`);
    allCodes.set(spec.code, spec);
  }
  return codes;
}

/** Every code registered so far (for the docs and the playground). */
export function registeredCodes(): CodeSpec[] {
  return [...allCodes.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function formatTemplate(template: string, args: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in args ? String(args[name]) : whole));
}
