import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandLogFolder } from '../../server/src/hosts/logFolding';
import type { CommandLogEntry } from '../../server/src/hosts/runner';
import { VERIFY_POLL } from '../../server/src/hosts/verifyNova';

const LOG = '/var/log/nova/nova-compute.log';
const fmt = (e: CommandLogEntry) => `${e.host}$ ${e.argv.join(' ')} -> ${e.code ?? e.signal} in ${e.ms} ms${e.stderr ? `\n    ${e.stderr}` : ''}`;

function folder() {
  const info: string[] = [];
  const all: string[] = [];
  let clock = 1_000_000;
  const f = new CommandLogFolder({ info: (l) => { info.push(l); all.push(l); }, trace: (l) => all.push(l) }, fmt, () => clock);
  const run = (argv: string[], o: Partial<CommandLogEntry> = {}) => {
    const e: CommandLogEntry = { host: 'node1', argv, code: 0, signal: null, ms: 5, ...o };
    clock += e.ms;
    f.entry(e);
    clock += 495;
  };
  return { f, info, all, run };
}

/** One verification as verifyNova runs it: stat + tail every poll, the status every second poll. */
function verification(run: ReturnType<typeof folder>['run'], polls: number, lastStatus = 0) {
  for (let i = 0; i < polls; i++) {
    run(['stat', '-c', '%s', LOG], { poll: VERIFY_POLL });
    run(['tail', '-c', '+4242', LOG], { poll: VERIFY_POLL });
    if (i % 2 === 0 || i === polls - 1) run(['/etc/init.d/nova-compute', 'status'], { poll: VERIFY_POLL, code: i === polls - 1 ? lastStatus : 0 });
  }
}

test('a verification of 30 polls is two lines at the user level, every poll at the trace level', () => {
  const { f, info, all, run } = folder();
  run(['date', '+%s']);
  run(['/etc/init.d/nova-compute', 'restart']);
  verification(run, 30);
  f.note('node1: applied — nova-compute started past init_host and is running');
  assert.deepEqual(info.slice(0, 2), ['node1$ date +%s -> 0 in 5 ms', 'node1$ /etc/init.d/nova-compute restart -> 0 in 5 ms']);
  assert.equal(info[2], `node1: ${VERIFY_POLL}: polling (each command at the trace level)…`);
  // 30 stat + 30 tail + 16 status, from the first poll's start to the note, 500 ms apart
  assert.equal(info[3], `node1: ${VERIFY_POLL}: 76 commands over 38.0 s: stat -c '%s' ${LOG} ×30 exit 0, tail -c +4242 ${LOG} ×30 exit 0, /etc/init.d/nova-compute status ×16 exit 0`);
  assert.equal(info[4], 'node1: applied — nova-compute started past init_host and is running');
  assert.equal(info.length, 5);
  assert.equal(all.length, 5 + 76, 'the full log has every poll');
  assert.equal(all.filter((l) => l.startsWith('node1$ stat ')).length, 30);
  assert.equal(all.indexOf(info[3]), all.length - 2, 'the summary comes after the polls it counts');
});

test('mixed exit statuses are counted per status; a failing poll shows what it said once', () => {
  const { f, info, run } = folder();
  verification(run, 4, 3);
  run(['stat', '-c', '%s', LOG], { poll: VERIFY_POLL, code: 1, stderr: "stat: cannot stat '/var/log/nova/nova-compute.log': No such file or directory" });
  run(['stat', '-c', '%s', LOG], { poll: VERIFY_POLL, code: 1, stderr: "stat: cannot stat '/var/log/nova/nova-compute.log': No such file or directory" });
  f.flush();
  assert.equal(info.length, 3);
  assert.match(info[1], /^node1\$ stat -c %s \S+ -> 1 in 5 ms\n {4}stat: cannot stat/);
  assert.match(info[2], /stat -c '%s' \S+ ×6 \(exit 0 ×4, exit 1 ×2\), tail -c \+4242 \S+ ×4 exit 0, \/etc\/init\.d\/nova-compute status ×3 \(exit 0 ×2, exit 3 ×1\)$/);
  f.flush();
  assert.equal(info.length, 3, 'a second flush adds nothing');
});

test('a loop ends at the next ordinary command, at another loop, or on another host', () => {
  const { f, info, run } = folder();
  run(['virsh', 'domstate', 'g'], { poll: 'waiting for g to shut down' });
  run(['virsh', 'domstate', 'g'], { poll: 'waiting for g to shut down' });
  run(['virsh', 'destroy', 'g']);
  run(['virsh', 'domstate', 'g'], { poll: 'waiting for g to run' });
  run(['virsh', 'domstate', 'g'], { poll: 'waiting for g to run', host: 'node2' });
  f.flush();
  assert.deepEqual(info.map((l) => l.replace(/over [\d.]+ s/, 'over T')), [
    'node1: waiting for g to shut down: polling (each command at the trace level)…',
    'node1: waiting for g to shut down: 2 commands over T: virsh domstate g ×2 exit 0',
    'node1$ virsh destroy g -> 0 in 5 ms',
    // A single poll is just that command.
    'node1$ virsh domstate g -> 0 in 5 ms',
    'node2$ virsh domstate g -> 0 in 5 ms',
  ]);
});
