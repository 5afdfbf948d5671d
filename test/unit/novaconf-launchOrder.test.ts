/**
 * nova-compute's arguments → the config set's read order (novaconf/launchOrder.ts, configSetOf).
 * The same forms against oslo.config itself: test/oracle/nova.launchOrder.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEBIAN_INIT, NO_ARGUMENTS, readSteps } from '../../server/src/novaconf/launchOrder';
import { configSetOf } from '../../server/src/novaconf/configSet';
import { launchFor } from '../../server/src/novaconf/launchSetting';

const E = '/etc/nova';
const file = (path: string) => ({ kind: 'file', path });
const dir = (path: string) => ({ kind: 'dir', path });
const DEFAULT_FILES = [file(`${E}/nova.conf`), file(`${E}/nova-compute.conf`)];
const DEFAULT_DIRS = [dir(`${E}/nova.conf.d`), dir(`${E}/nova-compute.conf.d`)];

test('no arguments: the default files, then the default dirs (nova.conf.d, then nova-compute.conf.d)', () => {
  assert.deepEqual(readSteps([]), [...DEFAULT_FILES, ...DEFAULT_DIRS]);
  // Options that are not ours change nothing.
  assert.deepEqual(readSteps(['--log-file=/var/log/nova/nova-compute.log', '--debug']), [...DEFAULT_FILES, ...DEFAULT_DIRS]);
});

test("--config-file without --config-dir (Debian's init script): the default dirs first, then the files in argv order", () => {
  const expected = [...DEFAULT_DIRS, file(`${E}/nova.conf`), file(`${E}/nova-compute.conf`)];
  assert.deepEqual(readSteps(DEBIAN_INIT.args), expected);
  assert.deepEqual(readSteps(['--config-file', `${E}/nova.conf`, '--config-file', `${E}/nova-compute.conf`]), expected, 'the space form');
  assert.deepEqual(readSteps(['--config-file', `${E}/nova.conf`, `--config-file=${E}/nova-compute.conf`, '--log-file=/x']), expected, 'mixed forms');
  // Repeated and in another order: every occurrence, in argv order.
  assert.deepEqual(readSteps([`--config-file=${E}/nova-compute.conf`, `--config-file=${E}/nova.conf`, `--config-file=${E}/nova-compute.conf`]),
    [...DEFAULT_DIRS, file(`${E}/nova-compute.conf`), file(`${E}/nova.conf`), file(`${E}/nova-compute.conf`)]);
});

test('--config-dir given: no default dir; files and dirs interleaved in argv order', () => {
  assert.deepEqual(readSteps([`--config-file=${E}/nova.conf`, '--config-dir', `${E}/nova.conf.d`]), [file(`${E}/nova.conf`), dir(`${E}/nova.conf.d`)]);
  assert.deepEqual(readSteps(['--config-dir', `${E}/nova.conf.d`, '--config-file', `${E}/nova.conf`]), [dir(`${E}/nova.conf.d`), file(`${E}/nova.conf`)]);
  // Only --config-dir: the default files still come first.
  assert.deepEqual(readSteps([`--config-dir=${E}/nova.conf.d`]), [...DEFAULT_FILES, dir(`${E}/nova.conf.d`)]);
});

test("argparse's forms that oslo.config's own test does not see: an abbreviation reads the defaults too", () => {
  // `--config-f` is argparse's --config-file, but oslo.config looks for the exact spelling before reading the defaults.
  assert.deepEqual(readSteps([`--config-f=${E}/nova.conf`]), [...DEFAULT_FILES, ...DEFAULT_DIRS, file(`${E}/nova.conf`)]);
  assert.deepEqual(readSteps(['--config-d', `${E}/nova.conf.d`]), [...DEFAULT_FILES, ...DEFAULT_DIRS, dir(`${E}/nova.conf.d`)]);
  // Ambiguous (argparse exits), a value that looks like an option (argparse exits), after `--`: nothing read from them.
  assert.deepEqual(readSteps(['--config', `${E}/nova.conf`]), [...DEFAULT_FILES, ...DEFAULT_DIRS]);
  assert.deepEqual(readSteps(['--config-file', '--debug']), [...DEFAULT_DIRS]);
  assert.deepEqual(readSteps(['--', `--config-file=${E}/x.conf`]), [...DEFAULT_DIRS], 'oslo.config still sees the spelling after --');
});

const listing = (tree: Record<string, string[]>) => (d: string) => tree[d] ?? [];
const TREE = listing({
  [E]: ['nova.conf', 'nova-compute.conf', 'api-paste.ini'],
  [`${E}/nova.conf.d`]: ['50-b.conf', '10-a.conf', '.hidden.conf', 'notes.txt'],
  [`${E}/nova-compute.conf.d`]: ['20-c.conf'],
});
const D1 = [`${E}/nova.conf.d/10-a.conf`, `${E}/nova.conf.d/50-b.conf`, `${E}/nova-compute.conf.d/20-c.conf`];
const FILES = [`${E}/nova.conf`, `${E}/nova-compute.conf`];

test('configSetOf orders the members by the launch, and leaves out what it does not read', () => {
  assert.deepEqual(configSetOf(`${E}/nova.conf`, TREE)?.members, [...FILES, ...D1], 'default: no arguments');
  assert.deepEqual(configSetOf(`${E}/nova.conf`, TREE, NO_ARGUMENTS)?.members, [...FILES, ...D1]);
  const debian = configSetOf(`${E}/nova.conf.d/50-b.conf`, TREE, DEBIAN_INIT)!;
  assert.deepEqual(debian.members, [...D1, ...FILES]);
  assert.equal(debian.self, 1);
  // nova-compute.conf.d's members are members of the set.
  assert.equal(configSetOf(`${E}/nova-compute.conf.d/20-c.conf`, TREE, DEBIAN_INIT)?.self, 2);
  // One --config-file and a --config-dir: nova-compute.conf is not read, and is judged alone (self -1).
  const one = { args: [`--config-file=${E}/nova.conf`, `--config-dir=${E}/nova.conf.d`], source: 't' };
  assert.deepEqual(configSetOf(`${E}/nova.conf`, TREE, one)?.members, [`${E}/nova.conf`, ...D1.slice(0, 2)]);
  assert.equal(configSetOf(`${E}/nova-compute.conf`, TREE, one)?.self, -1);
  // A file named twice counts where it is read last; paths elsewhere are not ours; paths are normalized.
  const twice = { args: [`--config-file=${E}/nova-compute.conf`, `--config-file=${E}//nova.conf`, '--config-file=/srv/other.conf', `--config-file=${E}/./nova-compute.conf`, `--config-dir=${E}/nova-compute.conf.d/`], source: 't' };
  assert.deepEqual(configSetOf(`${E}/nova.conf`, TREE, twice)?.members, [...FILES, D1[2]]);
});

test('a set elsewhere (a config repository) stands for /etc/nova: the arguments\' paths are read there', () => {
  const repo = listing({ '/srv/repo/node': ['nova.conf', 'nova-compute.conf'], '/srv/repo/node/nova.conf.d': ['10.conf'] });
  assert.deepEqual(configSetOf('/srv/repo/node/nova.conf', repo, DEBIAN_INIT)?.members,
    ['/srv/repo/node/nova.conf.d/10.conf', '/srv/repo/node/nova.conf', '/srv/repo/node/nova-compute.conf']);
});

test('the setting: a name, an array of arguments; auto asks the machine only for /etc/nova', () => {
  let asked = 0;
  const detect = () => { asked++; return DEBIAN_INIT; };
  assert.equal(launchFor('debian', '/srv/x', detect), DEBIAN_INIT);
  assert.equal(launchFor('no-arguments', E, detect), NO_ARGUMENTS);
  assert.deepEqual(launchFor(['--config-file', 'x'], E, detect).args, ['--config-file', 'x']);
  assert.equal(asked, 0);
  assert.equal(launchFor('auto', '/srv/x', detect), NO_ARGUMENTS);
  assert.equal(asked, 0, 'another directory is not this machine\'s /etc/nova');
  assert.equal(launchFor('auto', E, detect), DEBIAN_INIT);
  assert.equal(launchFor('auto', E, () => undefined), NO_ARGUMENTS, 'nothing found: no arguments');
});
