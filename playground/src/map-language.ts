import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api.js';

export const MAP_LANGUAGE_ID = 'mapline';

/**
 * Syntax colouring for `.map` files: keywords, strings with `{expr}` holes (coloured as code), numbers,
 * `#` comments, operators, and `connector.entity` names in flow headers and lookups.
 */
export const mapTokenizer: Monaco.languages.IMonarchLanguage = {
  defaultToken: '',
  keywords: [
    'flow', 'settings', 'table', 'when', 'identify', 'by', 'on', 'existing', 'missing', 'create', 'update', 'skip',
    'let', 'if', 'then', 'else', 'find', 'upsert', 'each', 'as', 'at', 'write', 'back', 'not', 'and', 'or', 'in', 'for',
  ],
  constants: ['true', 'false', 'null'],
  operators: ['=', '==', '!=', '<', '<=', '>', '>=', '??', '+', '-', '*', '/', '%', '=>', '->', '+='],
  symbols: /[=><!?+\-*/%]+/,
  tokenizer: {
    root: [
      [/#.*$/, 'comment'],
      [/\bfind\?/, 'keyword'],
      [/[A-Za-z_]\w*/, { cases: { '@keywords': 'keyword', '@constants': 'constant', '@default': 'identifier' } }],
      [/`[^`]*`/, 'identifier'],
      [/\d+(\.\d+)?([eE][+-]?\d+)?/, 'number'],
      [/"/, { token: 'string.quote', next: '@string' }],
      [/[{}()[\]]/, '@brackets'],
      [/@symbols/, { cases: { '@operators': 'operator', '@default': '' } }],
      [/[.,:]/, 'delimiter'],
      [/\s+/, 'white'],
    ],
    string: [
      [/[^\\"{]+/, 'string'],
      [/\\./, 'string.escape'],
      [/\{/, { token: 'delimiter.interpolation', next: '@interpolation' }],
      [/"/, { token: 'string.quote', next: '@pop' }],
    ],
    interpolation: [
      [/\}/, { token: 'delimiter.interpolation', next: '@pop' }],
      [/"/, { token: 'string.quote', next: '@string' }],
      [/[A-Za-z_]\w*/, { cases: { '@keywords': 'keyword', '@constants': 'constant', '@default': 'variable' } }],
      [/\d+(\.\d+)?/, 'number'],
      [/@symbols/, 'operator'],
      [/[^}"\w]+/, ''],
    ],
  },
};

export const mapLanguageConfiguration: Monaco.languages.LanguageConfiguration = {
  comments: { lineComment: '#' },
  brackets: [['{', '}'], ['[', ']'], ['(', ')']],
  autoClosingPairs: [{ open: '{', close: '}' }, { open: '[', close: ']' }, { open: '(', close: ')' }, { open: '"', close: '"', notIn: ['string'] }],
  wordPattern: /[A-Za-z_]\w*/,
};
