import { defineCodes } from './codes.js';

/**
 * The ML1xxx catalogue: lexical (ML100x) and syntax (ML101x-ML102x) diagnostics of the `.map` language. Each
 * `example` is a snippet that produces the code; `test/language/syntax-errors.test.ts` checks that it does and
 * keeps the rendered output as a golden file.
 */
export const SyntaxCodes = defineCodes({
  unterminatedString: {
    code: 'ML1001',
    title: 'unterminated string',
    template: 'unterminated string: the closing `"` is missing',
    hint: 'a string ends on the line it starts on; close it with `"`',
    example: 'settings {\n  label = "Order\n}\n',
  },
  unexpectedCharacter: {
    code: 'ML1002',
    title: 'unexpected character',
    template: 'unexpected character `{char}`',
    hint: 'names use letters, digits and _; write other field names in backticks, like `e-mail`',
    example: 'settings {\n  price = 10 € 2\n}\n',
  },
  unknownEscape: {
    code: 'ML1003',
    title: 'unknown escape in a string',
    template: 'unknown escape `{escape}` in a string',
    hint: 'the escapes are \\" \\\\ \\n \\t \\{ \\}; write \\\\ for a backslash',
    example: 'settings {\n  path = "C:\\data"\n}\n',
  },
  unclosedInterpolation: {
    code: 'ML1004',
    title: 'unclosed interpolation',
    template: 'the interpolation `{` in this string is never closed',
    hint: 'close it with `}`, or write \\{ for a literal brace',
    example: 'settings {\n  label = "Order {number"\n}\n',
  },
  emptyInterpolation: {
    code: 'ML1005',
    title: 'empty interpolation',
    template: 'empty interpolation `{}` in a string',
    hint: 'put an expression between the braces, or write \\{\\} for literal braces',
    example: 'settings {\n  label = "Order {}"\n}\n',
  },
  unterminatedQuotedName: {
    code: 'ML1006',
    title: 'unterminated quoted name',
    template: 'unterminated quoted name: the closing backtick is missing',
    hint: 'a quoted name ends on the line it starts on; close it with a backtick',
    example: 'settings {\n  `odd name = 1\n}\n',
  },
  expectedToken: {
    code: 'ML1010',
    title: 'expected something else',
    template: 'expected {expected}{context}, found {found}',
    example: 'flow orders ccvshop.orders -> eaccounting.orders {\n}\n',
  },
  unclosedBlock: {
    code: 'ML1011',
    title: 'missing `}`',
    template: 'missing `}`: this `{` is never closed',
    hint: 'add `}` where the block ends',
    example: 'flow orders: ccvshop.orders -> eaccounting.orders {\n  Status = 2\n',
  },
  expectedExpression: {
    code: 'ML1012',
    title: 'expected an expression',
    template: 'expected a value{context}, found {found}',
    hint: 'a value is a field, a literal, a call, `if`, `find`, `upsert` or `each`',
    example: 'flow orders: ccvshop.orders -> eaccounting.orders {\n  Status = * 2\n}\n',
  },
  unmatchedClose: {
    code: 'ML1013',
    title: 'unmatched closing bracket',
    template: 'unmatched {found}: nothing is open here',
    hint: 'remove it, or add the opening bracket it belongs to',
    example: 'settings {\n  x = 1\n}\n}\n',
  },
  expectedStatement: {
    code: 'ML1014',
    title: 'expected a statement',
    template: 'expected a statement, found {found}',
    hint: 'a block holds `let name = value`, field rules `Field = value` and `Field += { ... }`; a flow also `when`, `identify by`, `on ...` and `write back`',
    example: 'flow orders: ccvshop.orders -> eaccounting.orders {\n  42\n}\n',
  },
  expectedLineEnd: {
    code: 'ML1015',
    title: 'expected the end of the line',
    template: 'expected the end of the line {after}, found {found}',
    hint: 'put each statement on its own line',
    example: 'flow orders: ccvshop.orders -> eaccounting.orders {\n  Status = 2 3\n}\n',
  },
  expectedItem: {
    code: 'ML1016',
    title: 'expected `settings`, `table` or `flow`',
    template: 'expected `settings`, `table` or `flow`, found {found}',
    hint: 'statements and rules belong inside a `flow name: connector.entity -> connector.entity { ... }`',
    example: 'when paid\n',
  },
  chainedComparison: {
    code: 'ML1017',
    title: 'comparisons do not chain',
    template: 'comparisons do not chain: `{op}` follows another comparison',
    hint: 'write `a < b and b < c`, or add parentheses to say what is compared',
    example: 'flow orders: ccvshop.orders -> eaccounting.orders {\n  when 0 < total < 100\n}\n',
  },
  misplacedStatement: {
    code: 'ML1018',
    title: 'statement in the wrong place',
    template: '`{statement}` is not allowed inside a rule block',
    hint: '`when`, `identify by`, `on ...` and `write back` belong directly in the flow body; a rule block holds `let` and field rules',
    example:
      'flow orders: ccvshop.orders -> eaccounting.orders {\n  on create {\n    when paid\n  }\n}\n',
  },
  unknownPolicy: {
    code: 'ML1019',
    title: 'unknown `on` case',
    template: '`on {case}` is not a policy',
    hint: 'write `on existing: ...`, `on missing: ...`, `on create { ... }` or `on update { ... }`',
    example: 'flow orders: ccvshop.orders -> eaccounting.orders {\n  on duplicate: skip\n}\n',
  },
  badPolicy: {
    code: 'ML1020',
    title: 'invalid policy',
    template: '{problem}',
    hint: '{fix}',
    example: 'flow orders: ccvshop.orders -> eaccounting.orders {\n  on missing: update\n}\n',
  },
  duplicateFallback: {
    code: 'ML1021',
    title: 'second `else` in a table',
    template: 'the table `{table}` already has an `else` fallback',
    hint: 'keep one `else => value` line',
    example: 'table t {\n  "a" => 1\n  else => 2\n  else => 3\n}\n',
  },
  tooDeep: {
    code: 'ML1022',
    title: 'nesting too deep',
    template: 'expressions nest more than {max} levels deep here',
    hint: 'give inner parts a name with `let` and use the name',
    example: `settings {\n  x = ${'('.repeat(65)}1${')'.repeat(65)}\n}\n`,
  },
  internalError: {
    code: 'ML1099',
    title: 'internal parser error',
    template: 'internal parser error: {detail}',
    hint: 'this is a bug in Mapline; please report it together with the file',
  },
});

export type SyntaxCodeName = keyof typeof SyntaxCodes;
