// `npm test`: typecheck, lint, build, then the unit + integration, devices and e2e suites; ends with one
// line "N passed, N failed" (and skipped) summing every vitest run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-output';
mkdirSync(out, { recursive: true });

function step(title, command, args) {
  process.stdout.write(`\n== ${title}\n`);
  const run = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  return run.status === 0;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const suites = [
  [
    'unit + integration',
    ['--project', 'unit', '--project', 'integration'],
    `${out}/vitest-main.json`,
  ],
  // Real hot-plugged block devices: as root (CI); elsewhere each file says why it skips.
  ['devices (zram recorders)', ['--project', 'devices'], `${out}/vitest-devices.json`],
  ['e2e (Chromium)', ['--project', 'e2e'], `${out}/vitest-e2e.json`],
];

let ok = step('typecheck', npm, ['run', '--silent', 'typecheck']);
ok = step('lint', npm, ['run', '--silent', 'lint']) && ok;
const built = step('build', npm, ['run', '--silent', 'build']);
ok = built && ok;

const totals = { passed: 0, failed: 0, skipped: 0 };
if (built) {
  for (const [title, projects, report] of suites) {
    rmSync(report, { force: true });
    const args = [
      'vitest',
      'run',
      ...projects,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ];
    ok = step(title, 'npx', args) && ok;
    try {
      const result = JSON.parse(readFileSync(report, 'utf8'));
      totals.passed += result.numPassedTests;
      totals.failed +=
        result.numFailedTests +
        (result.numFailedTestSuites > 0 && result.numFailedTests === 0 ? 1 : 0);
      totals.skipped += result.numPendingTests + result.numTodoTests;
    } catch {
      totals.failed += 1;
      process.stdout.write(`(no report from ${title})\n`);
    }
  }
}
if (!ok && totals.failed === 0) totals.failed = 1;
process.stdout.write(
  `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(ok ? 0 : 1);
