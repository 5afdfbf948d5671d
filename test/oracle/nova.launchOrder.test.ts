/**
 * The config set's read order against nova-compute's own loading (Debian's python3-nova, Nova 26
 * with oslo.config 9.0): for each set and each launch, the set's files are mounted on /etc/nova
 * (a private mount namespace, HOME empty), nova.conf.CONF(args, project='nova',
 * prog='nova-compute') finds its default files and dirs itself, and the value of each option must
 * be our effective entry's (configSetOf in the launch's order, the model built the way the fronts
 * build it). Each file sets its own values, so a value names the file that won. Needs root (mount)
 * and python3-nova.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readConfigSet, relatedIn } from '../../server/src/novaconf/configSet';
import { listDir, readMember } from '../../server/src/novaconf/configSetFs';
import { buildModel, setting } from '../../server/src/novaconf/model';
import { LineIndex } from '../../server/src/core/lineIndex';
import { DEBIAN_INIT, NO_ARGUMENTS, type Launch } from '../../server/src/novaconf/launchOrder';
import { DEBIAN_PYTHON, knowledgeFor, novaOracleAvailable } from '../fixtures/novaconf/helpers';
import { requireOracle, skipUnless } from '../support/oracles';

const canMount = process.getuid?.() === 0 && existsSync('/usr/bin/unshare') && existsSync('/etc/nova');
const available = canMount && novaOracleAvailable();
const skip = skipUnless(available, 'needs root, unshare, /etc/nova and python3-nova (/usr/bin/python3)');

const OPTIONS: Array<[string, string]> = [['libvirt', 'virt_type'], ['libvirt', 'cpu_mode'], ['libvirt', 'connection_uri'], ['compute', 'cpu_shared_set'], ['DEFAULT', 'host']];

const E = '/etc/nova';
const launch = (...args: string[]): Launch => ({ args, source: 'test' });

/** Sets whose files set the same options, so each order gives other winners. Each nova.conf sets [DEFAULT] host (its default is the hostname). */
const SETS: Array<{ name: string; files: Record<string, string>; launches: Launch[] }> = [
  {
    name: 'fragments against both files',
    files: {
      'nova.conf': '[DEFAULT]\nhost = from-nova-conf\n[libvirt]\nvirt_type = lxc\ncpu_mode = host-model\nconnection_uri = uri-nova-conf\n',
      'nova-compute.conf': '[libvirt]\nvirt_type = qemu\nconnection_uri = uri-nova-compute-conf\n',
      'nova.conf.d/50-cpu.conf': '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\n[compute]\ncpu_shared_set = 0-1\n',
      'nova.conf.d/10-early.conf': '[libvirt]\nvirt_type = parallels\n[compute]\ncpu_shared_set = 2-3\n[DEFAULT]\nhost = from-10\n',
    },
    launches: [
      NO_ARGUMENTS, DEBIAN_INIT,
      launch('--config-file', `${E}/nova.conf`, '--config-dir', `${E}/nova.conf.d`),
      launch(`--config-file=${E}/nova.conf`, `--config-dir=${E}/nova.conf.d`, `--config-file=${E}/nova-compute.conf`),
      launch('--config-file', `${E}/nova-compute.conf`, `--config-file=${E}/nova.conf`, '--config-file', `${E}/nova-compute.conf`),
      launch(`--config-f=${E}/nova.conf`),
    ],
  },
  {
    name: 'nova-compute.conf.d, a default dir of prog nova-compute',
    files: {
      'nova.conf': '[DEFAULT]\nhost = set2\n[libvirt]\nvirt_type = lxc\nconnection_uri = uri-nova-conf\n',
      'nova-compute.conf': '[libvirt]\ncpu_mode = host-passthrough\n',
      'nova.conf.d/20.conf': '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\n',
      'nova-compute.conf.d/10.conf': '[libvirt]\nvirt_type = qemu\nconnection_uri = uri-compute-d\n',
    },
    launches: [NO_ARGUMENTS, DEBIAN_INIT, launch(`--config-file=${E}/nova.conf`, `--config-dir=${E}/nova-compute.conf.d`, `--config-dir=${E}/nova.conf.d`)],
  },
  {
    name: 'no nova-compute.conf, a key twice in one fragment',
    files: {
      'nova.conf': '[DEFAULT]\nhost = set3\n[libvirt]\nvirt_type = qemu\n[compute]\ncpu_shared_set = 4\n',
      'nova.conf.d/a.conf': '[libvirt]\nconnection_uri = first\nconnection_uri = second\n[compute]\ncpu_shared_set = 5\n',
    },
    launches: [NO_ARGUMENTS, launch(`--config-file=${E}/nova.conf`), launch('--config-dir', `${E}/nova.conf.d`, '--config-file', `${E}/nova.conf`)],
  },
];

/** Per option, the value that wins (null: no file sets it). */
type Won = Record<string, string | null>;

function oslo(dir: string, launches: Launch[]): Won[] {
  const home = mkdtempSync(join(tmpdir(), 'nlc-home-'));
  try {
    const r = spawnSync('/usr/bin/unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c',
      'mount --bind "$1" /etc/nova && exec "$2" "$3"', 'sh', dir, DEBIAN_PYTHON, 'test/oracle/nova_oracle.py'], {
      input: JSON.stringify({ mode: 'launch', launches: launches.map((l) => l.args), options: OPTIONS }),
      encoding: 'utf8', env: { ...process.env, HOME: home }, maxBuffer: 16 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  } finally { rmSync(home, { recursive: true, force: true }); }
}

/** Our winner per option for this launch, as nova.conf's analysis sees it. */
function ours(dir: string, l: Launch): Won {
  const self = join(dir, 'nova.conf');
  const set = readConfigSet(self, listDir, readMember, undefined, l)!;
  const text = readMember(self) as string;
  const model = buildModel(text, new LineIndex(text), knowledgeFor('zed').nova, relatedIn(set, self));
  return Object.fromEntries(OPTIONS.map(([g, n]) => {
    const e = setting(model, g, n);
    return [`${g}.${n}`, e ? e.value : null];
  }));
}

test("the option values that win are nova-compute's for each launch form (no arguments, Debian's --config-file pair, --config-dir, repeated, abbreviated)", { skip }, (t) => {
  requireOracle(available, 'root, unshare, /etc/nova or python3-nova is missing');
  let compared = 0;
  const orders = new Set<string>();
  for (const s of SETS) {
    const dir = mkdtempSync(join(tmpdir(), 'nlc-launch-'));
    try {
      for (const [label, text] of Object.entries(s.files)) {
        mkdirSync(dirname(join(dir, label)), { recursive: true });
        writeFileSync(join(dir, label), text);
      }
      const theirs = oslo(dir, s.launches);
      s.launches.forEach((l, i) => {
        assert.deepEqual(ours(dir, l), theirs[i], `${s.name}, launch ${JSON.stringify(l.args)}`);
        orders.add(JSON.stringify(theirs[i]));
        compared += OPTIONS.length;
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
  t.diagnostic(`${compared} option winners compared over ${SETS.reduce((n, s) => n + s.launches.length, 0)} launches; ${orders.size} distinct outcomes`);
  // The launches must matter, or this test could not tell the orders apart.
  assert.ok(orders.size >= 8, `only ${orders.size} distinct outcomes`);
});

test("Debian's launch: nova.conf.d's virt_type loses to nova-compute.conf's; without arguments it wins (nova-compute itself)", { skip }, () => {
  requireOracle(available, 'root, unshare, /etc/nova or python3-nova is missing');
  const dir = mkdtempSync(join(tmpdir(), 'nlc-launch-'));
  try {
    mkdirSync(join(dir, 'nova.conf.d'));
    writeFileSync(join(dir, 'nova.conf'), '[libvirt]\nvirt_type = lxc\n');
    writeFileSync(join(dir, 'nova-compute.conf'), '[libvirt]\nvirt_type = qemu\n');
    writeFileSync(join(dir, 'nova.conf.d/50.conf'), '[libvirt]\nvirt_type = kvm\n');
    const [debian, none] = oslo(dir, [DEBIAN_INIT, NO_ARGUMENTS]);
    assert.equal(debian['libvirt.virt_type'], 'qemu', "nova-compute.conf's");
    assert.equal(none['libvirt.virt_type'], 'kvm', "nova.conf.d/50.conf's");
    assert.equal(ours(dir, DEBIAN_INIT)['libvirt.virt_type'], 'qemu');
    assert.equal(ours(dir, NO_ARGUMENTS)['libvirt.virt_type'], 'kvm');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
