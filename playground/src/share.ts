/**
 * The editor state in the URL hash: JSON, deflated (the browser's own CompressionStream) and base64url-encoded,
 * so a link carries a whole mapping without any server.
 */
export interface SharedState {
  readonly file: string;
  readonly text: string;
  readonly flow?: string;
  /** The chosen sample's index in the source entity's records, or a pasted record. */
  readonly sample?: number;
  readonly pasted?: string;
  /** Put the cursor on this line (and column) when the link opens: the dashboard links a failure's place. */
  readonly line?: number;
  readonly column?: number;
  /** Live mode: the output follows every edit. */
  readonly live?: boolean;
}

export async function encodeState(state: SharedState): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  const compressed = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
  let binary = '';
  for (const byte of new Uint8Array(compressed)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function decodeState(encoded: string): Promise<SharedState | undefined> {
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).text();
    const state = JSON.parse(text) as SharedState;
    return typeof state.file === 'string' && typeof state.text === 'string' ? state : undefined;
  } catch {
    return undefined; // a damaged link opens the default mapping instead of a broken page
  }
}
