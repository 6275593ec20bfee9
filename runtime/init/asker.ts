/** One thing `mapline init` needs to know. Every question has a flag, so the whole set-up runs without a terminal. */
export interface Question<T> {
  /** The flag that answers it (without `--`), e.g. `ccv-public-key`. */
  readonly flag: string;
  readonly prompt: string;
  /** Shown in brackets and taken on an empty answer; a question without one must be answered. */
  readonly default?: string;
  /** Typed input is not echoed (secrets). */
  readonly secret?: boolean;
  /** Turns the text into the value, or says what is wrong with it (the user is asked again). */
  readonly parse: (text: string) => { readonly value: T } | { readonly error: string };
}

/** Where answers come from: a person at a terminal, or flags only. */
export interface LineReader {
  /** Asks one line; `secret` answers are not echoed. */
  question(prompt: string, secret: boolean): Promise<string>;
  /** Prints a line for the person (headings, lists, connection results). */
  say(line: string): void;
}

export class InitInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InitInputError';
  }
}

/**
 * Answers questions from the flags first; what the flags do not say is asked on the terminal, or, without one,
 * taken from the default. A flag that does not parse, or a question without a default and without a terminal,
 * is an `InitInputError` naming the flag.
 */
export class Asker {
  constructor(
    private readonly flags: Readonly<Record<string, string | undefined>>,
    private readonly reader: LineReader | undefined,
    /** Where `say` goes without a terminal (progress and connection results are still worth printing). */
    private readonly print: (line: string) => void = () => {},
  ) {}

  get interactive(): boolean {
    return this.reader !== undefined;
  }

  say(line: string): void {
    if (this.reader) this.reader.say(line);
    else this.print(line);
  }

  /** A flag's raw text, for answers that are not one question (a table given as `key=value,...`). */
  flag(name: string): string | undefined {
    return this.flags[name];
  }

  async ask<T>(q: Question<T>): Promise<T> {
    const given = this.flags[q.flag];
    if (given !== undefined) {
      const parsed = q.parse(given);
      if ('error' in parsed) throw new InitInputError(`--${q.flag}: ${parsed.error}`);
      return parsed.value;
    }
    if (!this.reader) {
      if (q.default === undefined) throw new InitInputError(`--${q.flag} is needed (${q.prompt.toLowerCase()}); without a terminal every answer without a default must be a flag`);
      const parsed = q.parse(q.default);
      if ('error' in parsed) throw new InitInputError(`--${q.flag}: ${parsed.error}`);
      return parsed.value;
    }
    for (;;) {
      const suffix = q.default !== undefined && q.default !== '' ? ` [${q.default}]` : '';
      const typed = (await this.reader.question(`${q.prompt}${suffix}: `, q.secret ?? false)).trim();
      const text = typed === '' && q.default !== undefined ? q.default : typed;
      if (text === '' && q.default === undefined) {
        this.reader.say('  An answer is needed.');
        continue;
      }
      const parsed = q.parse(text);
      if ('value' in parsed) return parsed.value;
      this.reader.say(`  ${parsed.error}`);
    }
  }
}

// --- parsers ---------------------------------------------------------------------------------------------

export const text = (text: string) => ({ value: text });

export function yesNo(value: string): { value: boolean } | { error: string } {
  if (/^(y|yes|true|1|on|ja|j)$/i.test(value)) return { value: true };
  if (/^(n|no|false|0|off|nee)$/i.test(value)) return { value: false };
  return { error: `"${value}" is not yes or no` };
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): { value: T } | { error: string } =>
    (choices as readonly string[]).includes(value) ? { value: value as T } : { error: `"${value}" is not one of ${choices.join(', ')}` };
}

export function url(value: string): { value: string } | { error: string } {
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { error: `"${value}" is not an http(s) URL` };
    return { value: value.replace(/\/+$/, '') };
  } catch {
    return { error: `"${value}" is not a URL` };
  }
}

export function numberList(value: string): { value: number[] } | { error: string } {
  const parts = value.split(/[\s,]+/).filter((p) => p !== '');
  const numbers = parts.map(Number);
  if (parts.length === 0 || numbers.some((n) => !Number.isInteger(n))) return { error: `"${value}" is not a list of whole numbers (e.g. 1,2,5)` };
  return { value: numbers };
}
