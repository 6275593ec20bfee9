/**
 * Seeded, grammar-aware mutations of `.map` text for fuzzing. The text is cut into rough tokens (strings, names,
 * numbers, operators, spaces, newlines) by a local regular expression, so the generator does not depend on the
 * lexer it tests. Each mutation applies one to three edits: delete, duplicate or swap tokens, insert or replace
 * with keywords and punctuation, truncate, or splice in random characters; some first move, join or split whole
 * lines. Same seed, same inputs.
 */

export type Rng = () => number;

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, list: readonly T[]): T => list[int(rng, list.length)]!;

const TOKEN = /"(?:[^"\\\n]|\\.)*"?|`[^`\n]*`?|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|#[^\n]*|\r?\n|[ \t]+|=>|==|!=|<=|>=|\+=|->|\?\?|[\s\S]/g;

export function roughTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Words and punctuation worth inserting: every keyword and operator, plus the tricky bits of strings. */
export const INSERTABLE: readonly string[] = [
  'flow', 'settings', 'table', 'when', 'let', 'each', 'find', 'find?', 'upsert', 'if', 'then', 'else', 'and', 'or',
  'not', 'in', 'true', 'false', 'null', 'on', 'identify', 'by', 'existing', 'missing', 'create', 'update', 'skip',
  'as', 'at', 'write', 'back', '=', '+=', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '??', '.', ',',
  ':', '(', ')', '[', ']', '{', '}', '=>', '->', '?', '"', '"{', '}"', '\\', '`', '#', '\n', ' ', '0', '1.5', 'x',
  '"{a["b"]}"', '"\\{"', '{x}', '\r\n', '\t',
];

const RANDOM_CHARS = ' \t\n\r"\'`{}[]()#\\=<>!?.,:;@$^&|~€é\u0000\u00a0\u2028\ufeff\ud83d\ude00xyz019_-+*/%';

function randomText(rng: Rng): string {
  let out = '';
  const length = 1 + int(rng, 6);
  for (let i = 0; i < length; i++) {
    out += rng() < 0.9 ? pick(rng, [...RANDOM_CHARS]) : String.fromCharCode(int(rng, 0x10000));
  }
  return out;
}

type Edit = (tokens: string[], rng: Rng) => void;

const EDITS: readonly Edit[] = [
  // delete one token
  (t, rng) => void (t.length > 0 && t.splice(int(rng, t.length), 1)),
  // delete a run of tokens
  (t, rng) => void (t.length > 0 && t.splice(int(rng, t.length), 1 + int(rng, 8))),
  // duplicate a token
  (t, rng) => {
    if (t.length === 0) return;
    const at = int(rng, t.length);
    t.splice(at, 0, t[at]!);
  },
  // swap two neighbouring tokens
  (t, rng) => {
    if (t.length < 2) return;
    const at = int(rng, t.length - 1);
    [t[at], t[at + 1]] = [t[at + 1]!, t[at]!];
  },
  // insert a keyword or punctuation, with or without spaces
  (t, rng) => t.splice(int(rng, t.length + 1), 0, rng() < 0.5 ? ` ${pick(rng, INSERTABLE)} ` : pick(rng, INSERTABLE)),
  // replace a token by a keyword or punctuation
  (t, rng) => void (t.length > 0 && t.splice(int(rng, t.length), 1, pick(rng, INSERTABLE))),
  // move a token somewhere else
  (t, rng) => {
    if (t.length < 2) return;
    const [token] = t.splice(int(rng, t.length), 1);
    t.splice(int(rng, t.length + 1), 0, token!);
  },
  // splice in random characters
  (t, rng) => t.splice(int(rng, t.length + 1), 0, randomText(rng)),
];

type LineEdit = (lines: string[], rng: Rng) => void;

/** Whole-line edits exercise the newline rule and statement-level recovery. */
const LINE_EDITS: readonly LineEdit[] = [
  (l, rng) => void (l.length > 0 && l.splice(int(rng, l.length), 1)),
  (l, rng) => {
    if (l.length === 0) return;
    const at = int(rng, l.length);
    l.splice(int(rng, l.length + 1), 0, l[at]!);
  },
  (l, rng) => {
    if (l.length < 2) return;
    const at = int(rng, l.length - 1);
    [l[at], l[at + 1]] = [l[at + 1]!, l[at]!];
  },
  // join a line with the next one, or split one in two
  (l, rng) => {
    if (l.length < 2) return;
    const at = int(rng, l.length - 1);
    l.splice(at, 2, `${l[at]!} ${l[at + 1]!.trimStart()}`);
  },
  (l, rng) => {
    if (l.length === 0) return;
    const at = int(rng, l.length);
    const line = l[at]!;
    const cut = int(rng, line.length + 1);
    l.splice(at, 1, line.slice(0, cut), line.slice(cut));
  },
];

/** One mutant of `text`: one to three token or line edits, sometimes followed by a truncation. */
export function mutate(text: string, rng: Rng): string {
  if (rng() < 0.2) {
    const lines = text.split('\n');
    const edits = 1 + int(rng, 3);
    for (let i = 0; i < edits; i++) pick(rng, LINE_EDITS)(lines, rng);
    text = lines.join('\n');
  }
  const tokens = roughTokens(text);
  const edits = 1 + int(rng, 3);
  for (let i = 0; i < edits; i++) pick(rng, EDITS)(tokens, rng);
  let out = tokens.join('');
  if (rng() < 0.1) out = out.slice(0, int(rng, out.length + 1));
  return out;
}

/** `count` mutants of the corpus texts, deterministic for a seed. */
export function* mutants(corpus: readonly string[], count: number, seed: number): Generator<string> {
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) yield mutate(pick(rng, corpus), rng);
}
