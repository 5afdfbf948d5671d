// Runs every bench/*.bench.ts in turn; each prints its own medians and ratios.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

let failed = false;
for (const f of readdirSync('bench').filter((n) => n.endsWith('.bench.ts')).sort()) {
  console.log(`\n== bench/${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${f}`], { stdio: 'inherit' });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
