import type { CstElement, CstNode, IToken } from 'chevrotain';
import * as T from './lexer.js';
import type { Range } from './range.js';

/**
 * Reading chevrotain's concrete syntax tree safely. After error recovery a CST node may lack children, or hold
 * tokens the parser invented (no position): these accessors return only real tokens, by label.
 */

export type Children = Record<string, CstElement[] | undefined>;

export function isToken(element: CstElement): element is IToken {
  return (element as IToken).tokenType !== undefined;
}

/** A token the parser really read (not one it inserted while recovering). */
export function isReal(token: IToken): boolean {
  return !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

export function tokensOf(node: CstNode | undefined, label: string): IToken[] {
  const list = (node?.children as Children | undefined)?.[label] ?? [];
  return list.filter((e): e is IToken => isToken(e) && isReal(e));
}

export function tokenOf(node: CstNode | undefined, label: string): IToken | undefined {
  return tokensOf(node, label)[0];
}

export function nodesOf(node: CstNode | undefined, label: string): CstNode[] {
  const list = (node?.children as Children | undefined)?.[label] ?? [];
  return list.filter((e): e is CstNode => !isToken(e));
}

export function nodeOf(node: CstNode | undefined, label: string): CstNode | undefined {
  return nodesOf(node, label)[0];
}

export function tokenRange(token: IToken): Range {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

/** The span of the real tokens under a CST node (newlines excluded), or undefined when it has none. */
export function cstRange(node: CstNode): Range | undefined {
  // The parser tracks offsets per node; only nodes touched by error recovery (whose location may include
  // tokens the parser invented) are measured from their children.
  const location = node.location;
  if (location && !node.recoveredNode && Number.isFinite(location.startOffset) && Number.isFinite(location.endOffset)) {
    return { start: location.startOffset, end: (location.endOffset ?? location.startOffset - 1) + 1 };
  }
  let start = Infinity;
  let end = -Infinity;
  for (const list of Object.values(node.children as Children)) {
    for (const element of list ?? []) {
      if (isToken(element)) {
        if (!isReal(element) || element.tokenType === T.Newline) continue;
        start = Math.min(start, element.startOffset);
        end = Math.max(end, element.startOffset + element.image.length);
      } else {
        const inner = cstRange(element);
        if (inner === undefined) continue;
        start = Math.min(start, inner.start);
        end = Math.max(end, inner.end);
      }
    }
  }
  return start === Infinity ? undefined : { start, end };
}

export function span(first: Range, last: Range | undefined): Range {
  return { start: first.start, end: Math.max(first.end, last?.end ?? first.end) };
}

export function identName(token: IToken): string {
  if (token.tokenType === T.BacktickIdentifier) return token.image.replace(/^`/, '').replace(/`$/, '');
  return token.image;
}

