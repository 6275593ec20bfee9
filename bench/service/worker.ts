/**
 * One service worker of the fleet bench, as its own process: runs `runIntegration` for its share of the
 * integrations (tenant k goes to worker k mod N), all at once, then prints what they did and its peak RSS.
 * Prints `ready` when connected and starts on the first line of stdin. Like a job worker, it runs a bounded number
 * of integrations at a time (`runsAtOnce`), each as soon as a slot frees.
 * argv: databaseUrl workerIndex workerCount tenantCount runsAtOnce
 */
import { openDatabase } from '../../runtime/service/database.js';
import { runIntegration } from '../../runtime/service/run-integration.js';

const [url, index, count, tenants, runsAtOnce] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number, number, number];
const db = await openDatabase(url, { max: 20 });
const names = Array.from({ length: tenants }, (_, k) => k + 1)
  .filter((k) => k % count === index)
  .map((k) => `tenant-${k}`);
// Loaded and connected: say so, and start when the bench says go (all workers at once, start-up not measured).
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
const startedAt = Date.now();
const queue = [...names];
const reports: Awaited<ReturnType<typeof runIntegration>>[] = [];
await Promise.all(
  Array.from({ length: Math.min(runsAtOnce, names.length) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) reports.push(await runIntegration(db, { name }));
  }),
);
const finishedAt = Date.now();
await db.close();
let created = 0;
let failed = 0;
const failures: string[] = [];
for (const report of reports) {
  if (report.failure !== undefined) failures.push(`${report.integration.name}: ${report.failure}`);
  if (report.outcome?.kind !== 'ran') continue;
  for (const flow of report.outcome.result.flows) {
    created += flow.summary.created;
    failed += flow.summary.failed;
  }
}
process.stdout.write(`${JSON.stringify({ startedAt, finishedAt, created, failed, failures: failures.slice(0, 5), maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
