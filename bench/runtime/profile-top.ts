/**
 * The top frames of a V8 CPU profile (`node --cpu-prof`) by self time, as `share  function  file:line`:
 * `node --import tsx bench/runtime/profile-top.ts PROFILE [N]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, count = '20'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts PROFILE [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = nodes.get(id)!.callFrame;
  const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|work\/wt\/[^/]+)\//, '')}:${frame.lineNumber + 1}` : '';
  const name = `${frame.functionName || '(anonymous)'}  ${where}`.trim();
  const dt = profile.timeDeltas[i] ?? 0;
  selfTime.set(name, (selfTime.get(name) ?? 0) + dt);
  total += dt;
});
for (const [name, time] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  process.stdout.write(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${name}\n`);
}
