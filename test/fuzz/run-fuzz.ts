/**
 * `npm run fuzz`: feeds many mutants of the valid `.map` files to every fuzz target and reports inputs that
 * break an invariant. Options: `--count N` (default 100000), `--seed S` (default: the time), `--target NAME`
 * (repeatable; default all). Failing inputs are printed as JSON strings with the seed, to replay them.
 */
import { fuzzCorpus } from './corpus.js';
import { mutants } from './mutate.js';
import { allFuzzTargets as fuzzTargets } from './all-targets.js';

function option(name: string): string[] {
  const values: string[] = [];
  const args = process.argv.slice(2);
  args.forEach((arg, i) => {
    if (arg === `--${name}` && args[i + 1] !== undefined) values.push(args[i + 1]!);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  });
  return values;
}

const count = Number(option('count')[0] ?? 100_000);
const seed = Number(option('seed')[0] ?? Date.now() % 2 ** 31);
const only = option('target');
const targets = only.length > 0 ? fuzzTargets.filter((t) => only.includes(t.name)) : fuzzTargets;
const corpus = fuzzCorpus();
const maxFailures = 10;

console.log(`fuzz: ${count} inputs, seed ${seed}, targets ${targets.map((t) => t.name).join(', ')}, corpus ${corpus.length} files`);
const started = Date.now();
let failures = 0;
let index = 0;
for (const input of mutants(corpus, count, seed)) {
  for (const target of targets) {
    try {
      target.run(input);
    } catch (error) {
      failures++;
      console.error(`\nFAIL ${target.name} on input #${index} (seed ${seed}): ${error instanceof Error ? error.stack : String(error)}`);
      console.error(`input: ${JSON.stringify(input)}`);
    }
  }
  index++;
  if (failures >= maxFailures) break;
  if (index % 10_000 === 0) {
    const seconds = (Date.now() - started) / 1000;
    console.log(`  ${index} inputs, ${failures} failures, ${Math.round(index / seconds)} inputs/s`);
  }
}
const seconds = (Date.now() - started) / 1000;
console.log(`fuzz: ${index} inputs in ${seconds.toFixed(1)} s, ${failures} failures`);
process.exitCode = failures > 0 ? 1 : 0;
