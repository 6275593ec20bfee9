import { formatTemplate } from './codes.js';
import type { Diagnostic } from './diagnostic.js';
import type { Range } from './range.js';
import { SyntaxCodes, type SyntaxCodeName } from './syntax-codes.js';

/** Builds an ML1xxx diagnostic from its catalogue entry; hint arguments default to the message arguments. */
export function syntaxDiagnostic(
  name: SyntaxCodeName,
  file: string,
  range: Range,
  args: Readonly<Record<string, string | number>> = {},
  hintOverride?: string,
): Diagnostic {
  const spec = SyntaxCodes[name];
  const hint = hintOverride ?? (spec.hint === undefined ? undefined : formatTemplate(spec.hint, args));
  return {
    code: spec.code,
    severity: 'error',
    message: formatTemplate(spec.template, args),
    file,
    range,
    ...(hint === undefined ? {} : { hint }),
  };
}
