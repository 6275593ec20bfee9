import type { Json } from '../../compiler/artifact.js';
import type { EntityDefinition } from '../../connectors/definition.js';
import { linkedChildren, type LinkedChild } from '../../connectors/linked-children.js';
import { showValue } from '../evaluate/lookups.js';
import { isObject, keyValueText, splitEntity } from './lookup-cache.js';
import { responseOf, type ConnectorClient } from './ports.js';
import { RecordFailure } from './types.js';
import { messageOf } from '../message-of.js';

/** One child the parent should have, under the parent field it was set as. */
export interface WantedChild {
  readonly child: LinkedChild;
  readonly element: Record<string, Json>;
}

/** A payload with its linked children taken out: what the parent's own endpoint gets, and the children. */
export interface SplitPayload {
  readonly parent: Record<string, Json>;
  readonly wanted: readonly WantedChild[];
}

/**
 * Writes a target's linked children (see `connectors/linked-children.ts`) after the parent: it reads the children
 * the parent already has (unless the parent was just created) and creates each wanted one whose key is not
 * among them. Because it always asks the API first, a rerun after a crash or a lost answer adds nothing twice.
 */
export class LinkedChildWriter {
  readonly children: readonly LinkedChild[];

  constructor(
    private readonly parentEntity: string,
    parent: EntityDefinition,
    entityNamed: (name: string) => EntityDefinition | undefined,
    private readonly client: () => ConnectorClient,
  ) {
    this.children = linkedChildren(parent, entityNamed);
  }

  /** Takes the linked-child fields out of a payload; elements with the same key are wanted once. */
  split(payload: Record<string, Json>): SplitPayload {
    if (this.children.length === 0) return { parent: payload, wanted: [] };
    const parent = { ...payload };
    const wanted: WantedChild[] = [];
    for (const child of this.children) {
      const value = parent[child.field];
      delete parent[child.field];
      if (!Array.isArray(value)) continue;
      const keys = new Set<string>();
      for (const element of value) {
        if (!isObject(element)) continue;
        const key = keyValueText(element[child.key]);
        if (key !== null && keys.has(key)) continue;
        if (key !== null) keys.add(key);
        wanted.push({ child, element });
      }
    }
    return { parent, wanted };
  }

  /** The wanted children the parent does not have yet (a new parent has none: nothing is read for it). */
  async missing(parentId: string, wanted: readonly WantedChild[], parentIsNew: boolean): Promise<WantedChild[]> {
    if (wanted.length === 0 || parentIsNew) return [...wanted];
    const have = new Map<LinkedChild, Set<string | null>>();
    for (const child of new Set(wanted.map((w) => w.child))) {
      const existing = await this.client().children(splitEntity(this.parentEntity)[1], parentId, child.field);
      have.set(child, new Set(existing.map((record) => (isObject(record) ? keyValueText(record[child.key]) : null))));
    }
    // An element without its key matches nothing there (validation has refused it already).
    return wanted.filter((w) => {
      const key = keyValueText(w.element[w.child.key]);
      return key === null || !have.get(w.child)!.has(key);
    });
  }

  /** Creates the children, each pointing at the parent; stops at the first refusal with the API's words. */
  async create(parentId: string, missing: readonly WantedChild[]): Promise<number> {
    let created = 0;
    for (const { child, element } of missing) {
      const payload = { ...element, [child.parentField]: child.parentIdType === 'number' && Number.isSafeInteger(Number(parentId)) ? Number(parentId) : parentId };
      try {
        await this.client().create(child.entity, payload);
      } catch (error) {
        const done = created > 0 ? ` (${created} of ${missing.length} were added)` : '';
        throw new RecordFailure(
          `${this.parentEntity} ${parentId} is written, but adding ${child.field} with ${child.key} = ${showValue(element[child.key])} failed${done}: ${messageOf(error)}; the next run adds what is missing`,
          payload,
          responseOf(error),
        );
      }
      created++;
    }
    return created;
  }

  /** `producttocategories +2 (category_id 5, 7)`, for a record's reason. */
  describe(added: readonly WantedChild[]): string {
    const byChild = new Map<LinkedChild, string[]>();
    for (const { child, element } of added) byChild.set(child, [...(byChild.get(child) ?? []), showValue(element[child.key])]);
    return [...byChild].map(([child, keys]) => `${child.field} +${keys.length} (${child.key} ${keys.join(', ')})`).join('; ');
  }
}

