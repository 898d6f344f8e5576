/**
 * API fuzzing (issue 11): a test instance of the API with its own database, loaded with the demo
 * story of `npm run up` (a smaller cast: accounts, openings, people, the worker's suggestions and
 * their history, scripts/lib/demo/load.ts), fuzzed by schemathesis from its live /openapi.json,
 * once anonymously and once signed in as each role. Every route in the document is covered, so
 * routes added later are fuzzed without a change here.
 *
 *   npm run fuzz                       # longer local run (default 15 min)
 *   tsx scripts/fuzz.ts --budget 200   # what `npm test` runs (seconds, all identities together)
 *
 * Checks: no 5xx, responses match their declared schema, status code and content type. Stateful
 * sequences run where the document has links (schemathesis also infers them). Writes
 * artifacts/fuzz/<identity>/ (JUnit, NDJSON events) and artifacts/fuzz/summary.json; exits 1 on
 * any failure. Needs the venv of scripts/fuzz-env.sh.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { findUserByUsername } from '../src/modules/accounts/users.repository.js';
import { findOrganizationById } from '../src/modules/orgs/orgs.repository.js';
import { issueLink } from '../src/modules/self-service/self-service.service.js';
import { startTestApp } from '../test/fixtures/app.js';
import { makeProfile, staffActor } from '../test/fixtures/worker-profiles.js';
import { startWorkerHost } from '../workers/host.js';
import { allProcessors } from '../workers/processors.js';
import { loadDemoStory } from './lib/demo/load.js';
import { DEMO_EMPLOYERS, DEMO_PASSWORD } from './lib/demo/seed-accounts.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const budgetSeconds = Number(arg('budget', '900'));
const outDir = arg('out', 'artifacts/fuzz');
const ST = '.local/fuzz-venv/bin/st';
if (!existsSync(ST)) {
  console.error(`[fuzz] ${ST} missing: run bash scripts/fuzz-env.sh`);
  process.exit(2);
}

/**
 * Operations that would end the fuzzer's own session half-way (nothing else is excluded: every
 * other route of the live document is fuzzed as every identity).
 */
const SESSION_ENDING = ['logout', 'changePassword', 'closePersonSession'];

const CHECKS = [
  'not_a_server_error',
  'response_schema_conformance',
  'status_code_conformance',
  'content_type_conformance',
].join(',');

/** Share of the budget per identity; signed-in roles reach far more of the API than anonymous. */
const IDENTITIES: { name: string; username?: string; person?: boolean; share: number }[] = [
  { name: 'anonymous', share: 0.08 },
  // A job seeker's session from a personal link (issue 22): the /api/v1/me routes as their one user.
  { name: 'job_seeker', person: true, share: 0.05 },
  { name: 'employer', username: DEMO_EMPLOYERS[0]!.login, share: 0.23 },
  { name: 'reviewer', username: 'liangshan.reviewer', share: 0.23 },
  { name: 'federation_staff', username: 'liangshan.staff', share: 0.23 },
  // Last: an admin may change users, including (through links) demo users signed in above.
  { name: 'admin', username: 'demo.admin', share: 0.23 },
];

const test = await startTestApp({
  // The fuzzer is one client sending thousands of requests a minute; the limits are tested elsewhere.
  RATE_LIMIT_PER_MINUTE: '10000000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  LOGIN_SLOWDOWN_MS: '0',
  LOG_LEVEL: 'info',
});
let exitCode = 1;
const server = createServer(test.app);
// The worker computes the story's suggestions and keeps working while the fuzzer runs.
const worker = await startWorkerHost(test.config, test.deps.logger, allProcessors);
try {
  const story = await loadDemoStory(
    { config: test.config, logger: test.deps.logger, queues: test.runtime.queues, redis: test.runtime.redis },
    { people: 60 },
  );
  console.log(`[fuzz] demo story: ${JSON.stringify({ people: story.people, history: story.history })}`);
  // The job seeker identity: a person of 凉山 with a personal link (the story's ID numbers are
  // not at hand here, so one more person whose second factor is known).
  const staff = await findUserByUsername('liangshan.staff');
  const liangshan = staff && (await findOrganizationById(staff.organizationId));
  const people = liangshan ? [await makeProfile(test.deps, liangshan, '513431')] : [];
  const personLink =
    liangshan && people[0] ? await issueLink(test.deps, staffActor(liangshan), people[0].id, 14) : null;
  await test.searchSync?.syncNow();

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const summary = {
    passed: 0,
    failed: 0,
    skipped: 0,
    errors: 0,
    requests: 0,
    failures: [] as string[],
    identities: {} as Record<string, unknown>,
  };
  // `--only federation_staff --phases stateful` narrows a run to chase one failure.
  const only = arg('only', '');
  for (const identity of IDENTITIES.filter((i) => !only || only.split(',').includes(i.name))) {
    const headers: string[] = [];
    if (identity.person) {
      if (!personLink || !people[0]) throw new Error('no demo profile to issue a personal link for');
      const res = await fetch(`${base}/api/v1/me/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token: new URL(personLink.url).hash.replace(/^#t=/, ''),
          idLast4: people[0].identity.idNumber.slice(-4),
        }),
      });
      if (!res.ok) throw new Error(`opening a personal link: ${res.status} ${await res.text()}`);
      const { token } = (await res.json()) as { token: string };
      headers.push('-H', `Authorization: Bearer ${token}`);
    }
    if (identity.username) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: identity.username, password: DEMO_PASSWORD }),
      });
      if (!res.ok) throw new Error(`login as ${identity.username}: ${res.status} ${await res.text()}`);
      const { token } = (await res.json()) as { token: string };
      headers.push('-H', `Authorization: Bearer ${token}`);
    }
    const dir = path.join(outDir, identity.name);
    mkdirSync(dir, { recursive: true });
    const seconds = Math.max(5, Math.round(budgetSeconds * identity.share));
    const args = [
      'run',
      `${base}/openapi.json`,
      '--checks',
      CHECKS,
      '--phases',
      arg('phases', 'examples,coverage,fuzzing,stateful'),
      '--max-time',
      String(seconds),
      // One worker: with threads, CPython 3.11.7's compiler sometimes fails inside schemathesis
      // ("AST constructor recursion depth mismatch"), an error of the fuzzer, not of the API.
      '--workers',
      '1',
      '--request-timeout',
      '20',
      ...SESSION_ENDING.flatMap((id) => ['--exclude-operation-id', id]),
      ...headers,
      '--report',
      'junit,ndjson',
      '--report-junit-path',
      path.join(dir, 'junit.xml'),
      '--report-ndjson-path',
      path.join(dir, 'events.ndjson'),
    ];
    if (process.env.FUZZ_SEED) args.push('--seed', process.env.FUZZ_SEED);
    console.log(`[fuzz] ${identity.name}: ${seconds} s`);
    const code = await new Promise<number>((resolve) => {
      // Schemathesis closes with pytest's banner ("== 2 warnings in 16 s =="), which CI would read
      // as a test run that executed nothing: its output goes to a file and, prefixed, to the console.
      const child = spawn(ST, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      const log = createWriteStream(path.join(dir, 'output.txt'));
      for (const stream of [child.stdout, child.stderr]) {
        stream.pipe(log, { end: false });
        createInterface({ input: stream }).on('line', (line) =>
          console.log(`[fuzz ${identity.name}] ${line}`),
        );
      }
      child.on('close', (c) => {
        log.end();
        resolve(c ?? 1);
      });
    });
    const result = readJunit(path.join(dir, 'junit.xml'));
    result.requests = countRequests(path.join(dir, 'events.ndjson'));
    summary.identities[identity.name] = { ...result, exitCode: code };
    summary.passed += result.passed;
    summary.failed += result.failed;
    summary.skipped += result.skipped;
    summary.errors += result.errors;
    summary.requests += result.requests;
    summary.failures.push(...result.failures.map((f) => `${identity.name}: ${f}`));
    // A non-zero exit without a failed test case (a crash of the fuzzer itself) still fails the run.
    if (code !== 0 && result.failed + result.errors === 0) {
      summary.errors += 1;
      summary.failures.push(`${identity.name}: the fuzzer exited with ${code}`);
    }
  }
  writeFileSync(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `[fuzz] ${summary.requests} requests; operations×identities: ${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors, ${summary.skipped} skipped`,
  );
  exitCode = summary.failed + summary.errors === 0 ? 0 : 1;
} finally {
  server.closeAllConnections();
  server.close();
  await worker.close();
  await test.close();
}
process.exit(exitCode);

function readJunit(file: string) {
  const result = { passed: 0, failed: 0, skipped: 0, errors: 0, requests: 0, failures: [] as string[] };
  if (!existsSync(file)) return { ...result, errors: 1, failures: ['no JUnit report'] };
  const xml = readFileSync(file, 'utf8');
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const inner = m[3] ?? '';
    // The case's name (an operation) is what the closing tally lists, so a CI log's tail says what broke.
    const name = /\bname="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '?';
    const failure = /<failure\b([^>]*?)(?:\/>|>([\s\S]*?)<\/failure>)/.exec(inner);
    if (failure) {
      result.failed++;
      // The checks that failed and the first words of the report, so a CI log's tail says why too.
      const codes = /\bmessage="([^"]*)"/.exec(failure[1] ?? '')?.[1] ?? '';
      const text = unescapeXml(`${codes} ${failure[2] ?? ''}`)
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 400);
      result.failures.push(text ? `${name}: ${text}` : name);
    } else if (/<error\b/.test(inner)) {
      result.errors++;
      result.failures.push(`${name} (error)`);
    } else if (/<skipped\b/.test(inner)) result.skipped++;
    else result.passed++;
  }
  return result;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/** Requests sent, from the NDJSON event stream (one ScenarioFinished per generated case). */
function countRequests(file: string): number {
  if (!existsSync(file)) return 0;
  let n = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const matches = line.match(/"response"\s*:\s*\{/g);
    if (matches) n += matches.length;
  }
  return n;
}
