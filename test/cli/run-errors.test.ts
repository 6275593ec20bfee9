import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../runtime/state/migrations.js';
import { SqliteStateStore } from '../../runtime/state/sqlite-store.js';
import { cliArgv, repoRoot, runCliAsync, runProcess } from '../helpers/cli.js';
import { expectedBooks } from '../proofs/harness/books.js';
import { duplicates, startEnv, valuesOf, type Env } from '../runtime/engine/helpers.js';

/**
 * What a user reads when `mapline run` cannot do its work: wrong credentials, a broken or old state file, a held
 * lock, Ctrl-C. Each runs the CLI as a child process, as a user would, and asserts the exact text.
 */
let env: Env;
let n = 0;

/** A config file over the sandboxes, with its own state file unless one is given. */
function configFile(options: { state?: string; secretInFile?: string; maps?: readonly string[] } = {}): { file: string; state: string } {
  const dir = join(env.dir, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  const state = options.state ?? join(dir, 'state.sqlite');
  const { ccvshop, eaccounting } = env.sandboxes;
  const file = join(dir, 'mapline.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      state,
      connections: {
        ccvshop: { baseUrl: ccvshop.baseUrl, publicKey: ccvshop.publicKey, rateLimits: false, ...(options.secretInFile ? { secret: options.secretInFile } : {}) },
        eaccounting: { baseUrl: eaccounting.baseUrl, identityUrl: eaccounting.origin, clientId: eaccounting.clientId, clientSecret: eaccounting.clientSecret, rateLimits: false },
      },
      flows: (options.maps ?? ['mappings/customers.map']).map((map) => ({ file: join(repoRoot, map) })),
    }),
  );
  return { file, state };
}

const goodSecret = (): NodeJS.ProcessEnv => ({ MAPLINE_CCVSHOP_SECRET: env.sandboxes.ccvshop.secret });

beforeAll(async () => {
  env = await startEnv([]);
});
afterAll(async () => {
  await env.close();
});

describe('mapline run: credentials refused', () => {
  const WRONG = 'not-the-shop-secret-4711';
  const reason = 'the shop refused our signature, and its answer does not verify with our secret either: the secret is wrong';

  it('a wrong CCV secret from the environment: says the credentials were refused and names the variable, prints no table, runs no other flow that needs the shop', async () => {
    const { file } = configFile({ maps: ['mappings/customers.map', 'mappings/orders.map'] });
    const run = await runCliAsync(['run', '--config', file], { MAPLINE_CCVSHOP_SECRET: WRONG });
    expect(run.stdout).toBe(
      [
        `error: flow customers (mappings/customers.map:23:1): CCV Shop refused the credentials of connection "ccvshop" (HTTP 401): ${reason}. Check the secret: MAPLINE_CCVSHOP_SECRET in the environment (it overrides connections.ccvshop.secret in ${file}).`,
        '',
        'error: flow orders not run: ccvshop refused the credentials (see flow customers)',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(WRONG);
  });

  it('a wrong CCV secret in the config file: names connections.ccvshop.secret in that file', async () => {
    const { file, state } = configFile({ secretInFile: WRONG });
    const run = await runCliAsync(['run', '--config', file], { MAPLINE_CCVSHOP_SECRET: '' });
    expect(run.stdout).toBe(
      `error: flow customers (mappings/customers.map:23:1): CCV Shop refused the credentials of connection "ccvshop" (HTTP 401): ${reason}. Check the secret: connections.ccvshop.secret in ${file} (or MAPLINE_CCVSHOP_SECRET in the environment).\n`,
    );
    expect(run.stdout + run.stderr).not.toContain(WRONG);
    // Refused credentials fail the flow, not each record: nothing is quarantined.
    const store = SqliteStateStore.open(state);
    expect(await store.listQuarantine({})).toEqual([]);
    await store.close();
  });
});

describe('mapline run: the state file', () => {
  it('a directory as state path: one message, with the path, printed once', async () => {
    const folder = join(env.dir, 'a-folder');
    mkdirSync(folder);
    const run = await runCliAsync(['run', '--config', configFile({ state: folder }).file], goodSecret());
    expect(run.stderr).toBe(`mapline run: state file ${folder} is a directory, not a state file; set "state" in the config (or --state) to a file path\n`);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(1);
  });

  it('a corrupt state file: one message with the path, for run and logs, and the file is left as it was', async () => {
    const corrupt = join(env.dir, 'corrupt.sqlite');
    const junk = 'this is not an SQLite file, it is a note somebody saved here\n'.repeat(100);
    writeFileSync(corrupt, junk);
    const message = `state file ${corrupt} is not a Mapline state file (SQLite says: file is not a database); it was left as it is: move it away, or set "state" to another file`;
    const { file } = configFile({ state: corrupt });
    const run = await runCliAsync(['run', '--config', file], goodSecret());
    expect(run.stderr).toBe(`mapline run: ${message}\n`);
    expect(run.stdout).toBe('');
    const logs = await runCliAsync(['logs', '--config', file]);
    expect(logs.stderr).toBe(`mapline logs: ${message}\n`);
    expect(logs.status).toBe(1);
    expect(readFileSync(corrupt, 'utf8')).toBe(junk);
  });

  /** A state file as the first Mapline wrote it: schema version 1 (the first migration), with a link in it. */
  function schemaOneFile(name: string, extra?: (db: Database.Database) => void): string {
    const path = join(env.dir, name);
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO links VALUES ('customers#old', 'kept', 'T-1', 'kept', 'h', '2026-01-01T00:00:00Z')").run();
    extra?.(db);
    db.close();
    return path;
  }

  it('a state file of the first schema version is upgraded in place: the run works and its data is kept', async () => {
    const old = schemaOneFile('schema-1.sqlite');
    const run = await runCliAsync(['run', '--config', configFile({ state: old }).file], goodSecret());
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Run [0-9a-f-]{36}\nflow +read +created/);
    expect(run.status).toBe(0);
    const store = SqliteStateStore.open(old);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(await store.getLink('customers#old', 'kept')).toMatchObject({ targetId: 'T-1' });
    await store.close();
  });

  it('a file whose tables are newer than its version says (was: "table locks already exists") is recognised and used', async () => {
    const ahead = schemaOneFile('ahead.sqlite', (db) => db.exec(MIGRATIONS[1]!));
    const run = await runCliAsync(['run', '--config', configFile({ state: ahead }).file], goodSecret());
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const store = SqliteStateStore.open(ahead);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    await store.close();
  });

  it('a file whose tables match no schema version is refused plainly and left alone', async () => {
    const odd = join(env.dir, 'odd.sqlite');
    const db = new Database(odd);
    db.exec('CREATE TABLE links (flow TEXT, source_id TEXT)');
    db.pragma('user_version = 1');
    db.close();
    const run = await runCliAsync(['run', '--config', configFile({ state: odd }).file], goodSecret());
    expect(run.stderr).toBe(
      `mapline run: state file ${odd} says schema version 1, but its tables match no schema version of this Mapline; it was left as it is (restore it from a backup, or set "state" to a new file)\n`,
    );
    expect(run.stdout).toBe('');
    const raw = new Database(odd, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    raw.close();
  });
});

describe('mapline run: refused runs print no empty table', () => {
  it('a flow held by another live process: the reason, and no summary table', async () => {
    const { file, state } = configFile();
    const store = SqliteStateStore.open(state);
    const held = await store.acquireLock('flow:customers', { id: 'other-run', host: hostname(), pid: process.pid }, 60_000);
    expect(held).toEqual({ acquired: true });
    await store.close();
    const run = await runCliAsync(['run', '--config', file], goodSecret());
    expect(run.stdout).toMatch(new RegExp(`^error: flow customers is being run by another process \\(pid ${process.pid} on ${hostname()}, since [^)]+\\); not run now\\n$`));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
  });
});

describe('mapline check: syntax errors first', () => {
  it('lists the syntax error before the follow-on error it causes, though that one sits earlier in the file', async () => {
    const dir = join(env.dir, 'broken');
    mkdirSync(dir);
    const file = join(dir, 'customers.map');
    copyFileSync(join(repoRoot, 'mappings/customers.map'), file);
    const text = readFileSync(file, 'utf8');
    // `:` instead of `=`: the parser drops the Name rule, so the checker then finds no rule for the required Name.
    writeFileSync(file, text.replace('  Name               = truncate(', '  Name               : truncate('));
    const check = await runCliAsync(['check', '--json', file]);
    const diagnostics = JSON.parse(check.stdout) as { code: string; line: number }[];
    expect(diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(['ML1010@33', 'ML3003@23']);
    const plain = await runCliAsync(['check', file]);
    expect(plain.stdout.indexOf('ML1010')).toBeLessThan(plain.stdout.indexOf('ML3003'));
  });
});

describe('mapline run: Ctrl-C', () => {
  it('stops after the record in progress, says what is safe; a rerun continues and creates nothing twice', async () => {
    const ea = env.sandboxes.eaccounting.control;
    const { file } = configFile({ maps: ['mappings/orders.map'] });
    const books = expectedBooks(env.sandboxes);
    expect(books.mustBook.size).toBeGreaterThan(10);
    const before = ea.records('orders').length;
    ea.setFaults({ latencyMs: 25 }); // slow enough that the run is surely mid-way when the third order is booked
    const stopped = await runProcess(cliArgv(['run', '--config', file]), {
      cwd: repoRoot,
      env: goodSecret(),
      killWhen: () => ea.records('orders').length - before >= 3,
      killSignal: 'SIGINT',
    });
    ea.setFaults({ latencyMs: 0 });
    expect(stopped.killed).toBe(true);
    expect(stopped.status).toBe(130);
    expect(stopped.stderr).toBe(
      [
        'mapline run: Ctrl-C: stopping after the record in progress (Ctrl-C again stops at once)',
        'mapline run: stopped by Ctrl-C before the end. Nothing is lost: every record written so far is recorded in the state file, and the next `mapline run` continues where this one stopped (it reads the rest again and creates nothing twice).',
        '',
      ].join('\n'),
    );
    expect(stopped.stdout).toMatch(/^Run [0-9a-f-]{36}\nflow +read +created +updated +skipped +failed +calls\n-+.*\norders +\d+ +\d+ +0 +\d+ +0 +\d+\n$/);
    const bookedAtStop = ea.records('orders').length - before;
    expect(bookedAtStop).toBeLessThan(books.mustBook.size);

    const rerun = await runCliAsync(['run', '--config', file], goodSecret());
    expect(rerun.stderr).toBe('');
    const booked = ea.records('orders').slice(before);
    expect(duplicates(valuesOf(booked, 'YourReference'))).toEqual([]);
    const references = new Set(booked.map((o) => String(o.YourReference)));
    for (const number of books.mustBook) expect(references.has(number)).toBe(true);
    for (const number of references) expect(books.mustBook.has(number) || books.mayFailForData.has(number)).toBe(true);
  });
});
