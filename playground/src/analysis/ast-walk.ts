import type { Expr, FlowDecl, FlowStatement, MapFile, Node, RuleBlock, RuleStatement } from '../../../language/ast.js';

/**
 * The direct children of an AST node, so tools can walk any tree without knowing every kind. Kept next to the
 * playground's analysis because only tools need it (the compiler walks typed nodes itself).
 */
export function childrenOf(node: Node): Node[] {
  const n = node as unknown as Record<string, unknown>;
  const out: Node[] = [];
  for (const value of Object.values(n)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).kind === 'string' && typeof (value as Node).range === 'object';
}

/** Whether `offset` lies inside `node` (the end counts: the cursor sits just after the last character). */
export function contains(node: Node, offset: number): boolean {
  return node.range.start <= offset && offset <= node.range.end;
}

/** The chain of nodes from the file down to the innermost node containing `offset`. */
export function pathTo(root: Node, offset: number): Node[] {
  const chain: Node[] = [root];
  let current: Node = root;
  for (;;) {
    const next = childrenOf(current).find((child) => contains(child, offset));
    if (!next) return chain;
    chain.push(next);
    current = next;
  }
}

export function flowAt(file: MapFile, offset: number): FlowDecl | undefined {
  for (const item of file.items) if (item.kind === 'Flow' && contains(item, offset)) return item;
  return undefined;
}

export type { Expr, FlowStatement, RuleBlock, RuleStatement };
