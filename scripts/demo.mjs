// The README's main job: the CLI over the shipped examples. The examples hold real-life
// mistakes on purpose, so exit status 1 (errors found) is the expected outcome here;
// only 2 (usage/unreadable) or a crash fails the job.
import { spawnSync } from 'node:child_process';

const r = spawnSync(process.execPath, ['dist/cli.js', 'check', 'examples/'], { stdio: 'inherit' });
if (r.status !== 0 && r.status !== 1) {
  console.error(`demo: the checker failed (exit ${r.status ?? r.signal})`);
  process.exit(1);
}
console.log(`demo: checked examples/ (exit ${r.status}: ${r.status === 1 ? 'errors found, as the examples intend' : 'no errors'})`);
