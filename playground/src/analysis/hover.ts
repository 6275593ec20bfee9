import type { MapFile } from '../../../language/ast.js';
import type { ConnectorCatalog } from '../../../compiler/catalog.js';
import { builtins } from '../../../compiler/stdlib/index.js';
import { builtinMarkdown } from './completion.js';
import { contextAt, typeOfPath, writableFields } from './scope.js';
import { descriptionOf, typeLabel } from './schema-view.js';

export interface Hover {
  readonly markdown: string;
  readonly start: number;
  readonly end: number;
}

/** What the word under `offset` is: a source field (type, description), a target field, a setting or a function. */
export function hoverAt(ast: MapFile, text: string, offset: number, catalog: ConnectorCatalog): Hover | undefined {
  const word = wordAt(text, offset);
  if (!word) return undefined;
  // The dotted path up to and including the hovered word: `customer.billingaddress.zipcode`.
  let pathStart = word.start;
  while (text[pathStart - 1] === '.' && /\w/.test(text[pathStart - 2] ?? '')) {
    const previous = wordAt(text, pathStart - 2);
    if (!previous) break;
    pathStart = previous.start;
  }
  const segments = text.slice(pathStart, word.end).split('.');
  const context = contextAt(ast, offset, catalog);
  const lineStart = text.lastIndexOf('\n', pathStart - 1) + 1;
  const before = text.slice(lineStart, pathStart);
  const after = text.slice(word.end, word.end + 200);
  const range = { start: word.start, end: word.end };

  if (after.startsWith('(') && segments.length === 1) {
    const builtin = builtins.get(word.text);
    if (builtin) return { markdown: builtinMarkdown(builtin), ...range };
  }
  if (segments.length === 2 && segments[0] === 'settings') {
    const setting = context.settings.get(word.text);
    if (setting) return { markdown: `**setting** \`${word.text}\`\n\n${text.slice(setting.range.start, setting.range.end)}`, ...range };
  }
  // Left of `=` at the start of a rule line: a target field.
  if (/^\s*(identify\s+by\s+)?$/.test(before) && /^\s*(=|\+=|\.)/.test(after) && context.flow && word.text !== 'let') {
    const field = writableFields(context).get(segments[0]!);
    if (field) return { markdown: fieldMarkdown(`target ${segments.join('.')}`, typeLabel(field), descriptionOf(field)), ...range };
  }
  const node = typeOfPath(segments, context);
  if (node) return { markdown: fieldMarkdown(segments.join('.'), typeLabel(node), descriptionOf(node)), ...range };
  return undefined;
}

function fieldMarkdown(name: string, type: string, description: string | undefined): string {
  return [`**${name}**: \`${type}\``, ...(description ? ['', description] : [])].join('\n');
}

function wordAt(text: string, offset: number): { start: number; end: number; text: string } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /\w/.test(text[start - 1]!)) start--;
  while (end < text.length && /\w/.test(text[end]!)) end++;
  if (start === end) return undefined;
  return { start, end, text: text.slice(start, end) };
}
