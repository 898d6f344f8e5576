// The closing lines of `npm test`: each failure in a line (file > test: the first line of why), then the
// tally. CI shows only the tail of a run's output, so what failed must be printed here, at the end, and
// the tally must be the very last line: CI reads the closing line only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const MAX_LISTED = 30;

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The first line of a failure message that says something, without ANSI colours, kept short. */
function firstLine(message) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what this strips
  const clean = String(message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const line = clean.split('\n').find((l) => l.trim()) ?? '';
  return line.trim().slice(0, 200);
}

/** Passed/failed/skipped and the failures of one vitest JSON report (a file that failed to load counts once). */
function vitestReport(file, label) {
  const r = readJson(file);
  const out = { passed: 0, failed: 0, skipped: 0, failures: [] };
  if (!r) return out;
  out.passed = r.numPassedTests ?? 0;
  out.failed = r.numFailedTests ?? 0;
  out.skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const suite of r.testResults ?? []) {
    const where = path.relative(process.cwd(), suite.name ?? '?');
    const failedTests = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failedTests) {
      out.failures.push(`${label} ${where} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
    if (suite.status === 'failed' && failedTests.length === 0) {
      out.failed += 1;
      out.failures.push(`${label} ${where}: ${firstLine(suite.message) || 'the file failed'}`);
    }
  }
  return out;
}

const tests = vitestReport('artifacts/vitest.json', 'vitest');
const faults = existsSync('artifacts/faults.json')
  ? vitestReport('artifacts/faults.json', 'faults')
  : { passed: 0, failed: 0, skipped: 0, failures: [] };
const fuzz = readJson('artifacts/fuzz/summary.json') ?? {
  passed: 0,
  failed: 0,
  errors: 1,
  skipped: 0,
  failures: ['the fuzz run wrote no summary'],
};
const fuzzFailures = (fuzz.failures ?? []).map((f) => `fuzz ${f}`);

const failures = [...fuzzFailures, ...tests.failures, ...faults.failures];
if (failures.length > 0) {
  console.log(`[test] failed (${failures.length}):`);
  for (const f of failures.slice(0, MAX_LISTED)) console.log(`  - ${f}`);
  if (failures.length > MAX_LISTED) console.log(`  … and ${failures.length - MAX_LISTED} more`);
}
const passed = tests.passed + faults.passed + fuzz.passed;
const failed = tests.failed + faults.failed + fuzz.failed + fuzz.errors;
const skipped = tests.skipped + faults.skipped + fuzz.skipped;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
