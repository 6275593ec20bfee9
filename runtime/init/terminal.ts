import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { LineReader } from './asker.js';

/**
 * Questions on a terminal with Node's own readline (line editing, history), nothing more. Secret answers are
 * read with the echo muted: readline writes what is typed through `output`, which swallows it meanwhile.
 */
export function terminalReader(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): LineReader & { close(): void } {
  let muted = false;
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: echo, terminal: true });
  return {
    async question(prompt, secret) {
      if (!secret) return rl.question(prompt);
      output.write(prompt);
      muted = true;
      try {
        return await rl.question('');
      } finally {
        muted = false;
        output.write('\n');
      }
    },
    say(line) {
      output.write(`${line}\n`);
    },
    close() {
      rl.close();
    },
  };
}
