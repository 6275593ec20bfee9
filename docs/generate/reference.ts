import { compilerCodes } from '../../compiler/codes.js';
import { builtins, signature } from '../../compiler/stdlib/index.js';
import { registeredCodes } from '../../language/codes.js';
import { SyntaxCodes } from '../../language/syntax-codes.js';

/**
 * The reference pages that are generated from the registries (the standard library and the diagnostic
 * catalogue), so the docs say exactly what the code does. `npm run docs` rewrites them; a test fails when they
 * are stale.
 */
export function stdlibPage(): string {
  const lines = [
    '# Standard library',
    '',
    'Generated from `compiler/stdlib/` by `npm run docs`; every example below is also run as a test.',
    'Functions are called by name, without `$`: `round(row.price / 1.21, 2)`. An absent argument gives an absent',
    'result unless the function says otherwise.',
    '',
  ];
  const categories = [...new Set([...builtins.values()].map((b) => b.category))];
  for (const category of categories) {
    lines.push(`## ${category[0]!.toUpperCase()}${category.slice(1)}`, '');
    for (const b of [...builtins.values()].filter((x) => x.category === category)) {
      lines.push(`### \`${signature(b)}\``, '', b.doc, '');
      if (b.aggregate) lines.push('An aggregate: its argument may be a path through a list (`orderrows.price`).', '');
      for (const example of b.examples) {
        lines.push(`- \`${example.expr}\` gives \`${example.result === undefined ? 'absent' : JSON.stringify(example.result)}\``);
      }
      if (b.examples.length > 0) lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function errorCodesPage(): string {
  void compilerCodes;
  void SyntaxCodes;
  const lines = [
    '# Diagnostic codes',
    '',
    'Generated from the catalogues in `language/syntax-codes.ts` and `compiler/codes.ts` by `npm run docs`.',
    'ML1xxx: reading the text; ML2xxx: names; ML3xxx: schemas and types; ML4xxx: what a flow may do; ML9xxx: bugs',
    'in Mapline. `{name}` in a message stands for the name, field or value concerned.',
    '',
    '| code | title | message | hint |',
    '|---|---|---|---|',
  ];
  for (const spec of registeredCodes()) {
    const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    lines.push(`| ${spec.code} | ${cell(spec.title)} | ${cell(spec.template)} | ${cell(spec.hint)} |`);
  }
  return `${lines.join('\n')}\n`;
}
