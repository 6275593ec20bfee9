import { deflateRawSync } from 'node:zlib';
import type { SharedState } from '../src/share.js';

/** The page's URL-hash encoding (`src/share.ts`), done in Node: for links made by tests, benches and scripts. */
export async function encodeStateForNode(state: SharedState): Promise<string> {
  return deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url');
}
