import { readdirSync, readFileSync } from 'node:fs';

/** The valid `.map` texts the fuzzers mutate: the language fixtures and the default mappings. */
export function fuzzCorpus(): string[] {
  const dirs = [new URL('../language/fixtures/', import.meta.url), new URL('../../mappings/', import.meta.url)];
  const texts: string[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.map')).sort()) {
      texts.push(readFileSync(new URL(name, dir), 'utf8'));
    }
  }
  return texts;
}
