// Held-out libvirt test inputs for the domain XML rules: collect them, ask libvirt 9.0 (and 12.8), compare with us.
//
//   node test/oracle/heldout-libvirt.mjs collect SRC11 [SRC9]   copy inputs + .err files, write manifest.tsv
//   node test/oracle/heldout-libvirt.mjs oracle [SID_ROOT]      schema + test driver + qemu driver → oracle.tsv
//   node test/oracle/heldout-libvirt.mjs compare                our CLI (npm run build first) → verdicts.tsv, summary.md
//   node test/oracle/heldout-libvirt.mjs generated SET [SID_ROOT]  generated resctrl / memory sets + libvirt's verdicts
//
// SRC11/SRC9 are unpacked libvirt source trees (Debian's libvirt 11.3.0 and 9.0.0 source packages:
// `apt-get source --download-only libvirt=…`). Inputs (see sources()) are test XMLs that touch
// <vcpu>/<vcpus>/<cpu>/<numa>/<cputune>/<numatune>/<memoryBacking>/<maxMemory>, or whose expected error talks
// about CPUs/NUMA, minus what test/fixtures/domainxml/corpus already holds.
// The oracle step needs virsh, virt-xml-validate, libvirt-daemon-driver-qemu and qemu-system-{x86,arm,ppc,misc}
// (libvirt 9.0, Debian bookworm) and root (the qemu driver runs in session mode as `nobody`: no root-owned state, no /dev/kvm needed);
// SID_ROOT adds libvirt 12.8 from a Debian sid chroot (with qemu-system-arm/ppc/s390x added),
// with /proc, /dev and /sys mounted in it.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'test', 'fixtures', 'domainxml-heldout');
const CORPUS = join(ROOT, 'test', 'fixtures', 'domainxml', 'corpus');

/** What marks an input as ours to check. `placement='static'` alone is in nearly every file, so only auto/current/cpuset. */
const TOUCHES = /<cpu[\s>/]|<numa[\s>]|<cputune|<numatune|<vcpus[\s>]|<vcpu\s[^>]*(placement=.auto|current=|cpuset=)|<iothreadids|<memoryBacking|<maxMemory/;
const ERR_TOUCHES = /vcpu|cpu|numa|topology|cputune|numatune|memnode|nodeset/i;
/** Output files are NAME.ARCH-VERSION[.suffix].xml; inputs are NAME.xml. */
const OUTPUT = /\.[a-z0-9_]+-(latest|[0-9.]+)([.+][a-z0-9-]+)*\.xml$/;

// ------------------------------------------------------------------------------------------- tsv

const tsvCell = (v) => String(v ?? '').replace(/[\t\r\n]+/g, ' ').trim();
function writeTsv(path, cols, rows) {
  writeFileSync(path, [cols.join('\t'), ...rows.map((r) => cols.map((c) => tsvCell(r[c])).join('\t'))].join('\n') + '\n');
}
function readTsv(path) {
  const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

// --------------------------------------------------------------------------------------- collect

/** DO_TEST* statements of a libvirt test program: test name → what the test expects. */
function expectations(testSources) {
  const text = testSources.filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n');
  const byName = new Map();
  for (const m of text.matchAll(/^\s*(DO_TEST[A-Z0-9_]*)\(\s*"([^"]+)"([^;]*?)\);/gms)) {
    const [, macro, name, rest] = m;
    if (/^#/.test(m[0].trim())) continue;
    const all = macro + rest;
    const kind = /PARSE_ERROR|FAIL_PARSE|FAIL_ACTIVE|FAIL_INACTIVE/.test(all) ? 'parse-error' : /FAILURE/.test(all) ? 'cmdline-failure' : 'ok';
    const e = byName.get(name) ?? { kinds: new Set(), macros: new Set() };
    e.kinds.add(kind); e.macros.add(macro);
    byName.set(name, e);
  }
  return byName;
}

/** libvirt's expected-error files for a test: NAME.ARCH-VERSION[.suffix].err (9.0 also has plain NAME.err). */
function errFiles(dir, name) {
  return readdirSync(dir).filter((f) => f.startsWith(`${name}.`) && /^([a-z0-9_]+-(latest|[0-9.]+)(\.[a-z-]+)?\.)?err$/.test(f.slice(name.length + 1)));
}

/** The parts of a domain XML our rules read, to tell whether two versions of a test input differ for us. */
function ourBlocks(text) {
  return (text.match(/<vcpus?[\s>][\s\S]*?<\/vcpus?>|<cpu[\s>][\s\S]*?(<\/cpu>|\/>)|<cputune[\s\S]*?<\/cputune>|<numatune[\s\S]*?<\/numatune>|<(memory|maxMemory|currentMemory)[\s>][^<]*<\/\2>|<memoryBacking[\s\S]*?<\/memoryBacking>/g) ?? []).join('\n');
}

/** Where held-out inputs come from; `t` = libvirt's test programs that use the directory. */
function sources(src11, src9) {
  const v11 = (dir, ...t) => ({ dir, root: src11, version: 'v11.3.0', tests: t });
  return [
    { ...v11('qemuxmlconfdata', 'qemuxmlconftest.c'), outputs: true },
    v11('genericxml2xmlindata', 'genericxml2xmltest.c'),
    v11('qemuxmlactive2xmldata', 'qemuxmlactivetest.c'),
    // Other drivers' inputs: only the generic checks (test driver) can judge them here.
    v11('bhyvexml2argvdata', 'bhyvexml2argvtest.c'),
    v11('libxlxml2domconfigdata', 'libxlxml2domconfigtest.c'),
    v11('xlconfigdata', 'xlconfigtest.c'),
    v11('xmconfigdata', 'xmconfigtest.c'),
    v11('vmx2xmldata', 'vmx2xmltest.c'),
    v11('xml2vmxdata', 'xml2vmxtest.c'),
    // libvirt 9.0's own inputs where 11.3 dropped the test or changed what our rules read.
    ...(src9 ? [{ dir: 'qemuxml2argvdata', root: src9, version: 'v9.0.0', tests: ['qemuxml2argvtest.c', 'qemuxml2xmltest.c'], newer: join(src11, 'tests', 'qemuxmlconfdata') }] : []),
  ];
}

/**
 * libvirt's own output for a test input (NAME.ARCH-latest.xml: what the qemu driver wrote back, defaults filled in),
 * when it differs from the input in the blocks we read; libvirt parses these again in its tests.
 */
function latestOutput(dir, name, input) {
  const outs = readdirSync(dir).filter((f) => f.startsWith(`${name}.`) && /^[a-z0-9_]+-latest\.xml$/.test(f.slice(name.length + 1)));
  const pick = outs.find((f) => f.includes('.x86_64-')) ?? outs.sort()[0];
  return pick && ourBlocks(readFileSync(join(dir, pick), 'utf8')) !== ourBlocks(input) ? pick : undefined;
}

function collect(src11, src9) {
  const corpusNames = new Set(['qemuxmlconfdata', 'genericxml2xmlindata', 'domainschemadata'].flatMap((d) => (existsSync(join(CORPUS, d)) ? readdirSync(join(CORPUS, d)) : [])));
  const rows = [];
  for (const s of sources(src11, src9)) {
    const dir = join(s.root, 'tests', s.dir);
    const exp = expectations(s.tests.map((t) => join(s.root, 'tests', t)));
    const add = (f, expectation, macros, errText) => {
      mkdirSync(join(OUT, s.dir), { recursive: true });
      copyFileSync(join(dir, f), join(OUT, s.dir, f));
      rows.push({ file: `${s.dir}/${f}`, source: `tests/${s.dir}/${f}`, libvirt: s.version, libvirt_expectation: expectation, libvirt_test_macros: macros, libvirt_expected_error: errText });
    };
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.xml') && !OUTPUT.test(n)).sort()) {
      const text = readFileSync(join(dir, f), 'utf8');
      if (!/<domain[\s>]/.test(text)) continue;
      const name = f.slice(0, -4);
      const errs = errFiles(dir, name);
      const errText = errs.map((e) => `${e}: ${readFileSync(join(dir, e), 'utf8').trim().split('\n')[0]}`).join(' | ');
      if (!TOUCHES.test(text) && !ERR_TOUCHES.test(errText)) continue;
      // Other drivers' tests name the file with a prefix: bhyvexml2argv-NAME.xml, test-NAME.xml, xml2vmx-NAME.xml.
      const e = exp.get(name) ?? exp.get(name.replace(/^(bhyvexml2argv|test|xml2vmx|vmx2xml)-/, ''));
      const out = s.outputs && e?.kinds.has('ok') ? latestOutput(dir, name, text) : undefined;
      if (out) add(out, 'output', [...e.macros].sort().join(','), '');
      if (s.newer) {
        if (existsSync(join(s.newer, f)) && ourBlocks(readFileSync(join(s.newer, f), 'utf8')) === ourBlocks(text)) continue;
      } else if (corpusNames.has(f)) continue;
      add(f, e ? [...e.kinds].sort().join(',') : 'untested', e ? [...e.macros].sort().join(',') : '', errText);
      for (const err of errs) copyFileSync(join(dir, err), join(OUT, s.dir, err));
    }
  }
  writeTsv(join(OUT, 'manifest.tsv'), ['file', 'source', 'libvirt', 'libvirt_expectation', 'libvirt_test_macros', 'libvirt_expected_error'], rows);
  console.log(`collected ${rows.length} files into ${OUT}`);
}

// ---------------------------------------------------------------------------------------- oracle

/** libvirt's stderr without log lines, the "Failed to define" header and RelaxNG trailers. */
function clean(stderr) {
  return stderr.split('\n')
    .filter((l) => l.trim() && !/^\d{4}-\d\d-\d\d [\d:.+]+: \d+: (info|warning|debug) : /.test(l))
    .filter((l) => !/Failed to define domain from|fails to validate$|Element domain failed to validate content/.test(l))
    .map((l) => l.replace(/^.*\.xml:\d+: (element [^:]+): Relax-NG validity error : /, '$1: ').replace(/^Relax-NG validity error : /, '').replace(/^error: /, ''))
    .join('; ');
}

async function verdict(cmd, args, opts = {}) {
  try { await run(cmd, args, { maxBuffer: 1 << 24, ...opts }); return 'accepted'; } catch (e) { return `rejected: ${clean(e.stderr ?? String(e))}`; }
}

/**
 * One libvirt installation: the host's (root '') or a chroot's (a Debian sid tree with libvirt 12.8, /proc, /dev
 * and /sys mounted). Scratch files live in a private directory under its /tmp; the qemu driver
 * runs in session mode as `nobody` with that directory as HOME, so runs never share state.
 */
function libvirtAt(root) {
  const dir = mkdtempSync(join(root || '/', 'tmp', 'heldout-lv-'));
  const inside = dir.slice(root.length); // the same directory as the chroot sees it
  mkdirSync(join(dir, 'run'), { mode: 0o700 });
  chmodSync(dir, 0o755);
  chownSync(dir, 65534, 65534); chownSync(join(dir, 'run'), 65534, 65534);
  // An empty test-driver node: test:///default pre-defines a domain named 'test'.
  writeFileSync(join(dir, 'node.xml'), '<node></node>\n');
  const cmd = (argv) => (root ? ['chroot', [root, ...argv]] : [argv[0], argv.slice(1)]);
  const env = [`HOME=${inside}`, `XDG_RUNTIME_DIR=${inside}/run`, `XDG_CONFIG_HOME=${inside}/.config`, `XDG_CACHE_HOME=${inside}/.cache`, 'PATH=/usr/sbin:/usr/bin:/sbin:/bin'];
  const qemu = (...args) => cmd(['runuser', '-u', 'nobody', '--', 'env', ...env, 'virsh', '-q', '-c', 'qemu:///session', ...args]);
  const put = (name, text) => { writeFileSync(join(dir, name), text, { mode: 0o644 }); return `${inside}/${name}`; };
  return {
    schema: async (text) => (await verdict(...cmd(['virt-xml-validate', put('in.xml', text), 'domain']))).replace(/^accepted$/, 'valid').replace(/^rejected/, 'invalid'),
    test: (text, validate = true) => verdict(...cmd(['virsh', '-q', '-c', `test://${inside}/node.xml`, 'define', ...(validate ? ['--validate'] : []), put('in.xml', text)])),
    async qemu(text, name, validate = true) {
      // No /dev/kvm here: type='kvm' would be rejected for that alone.
      const v = await verdict(...qemu('define', ...(validate ? ['--validate'] : []), put('cur.xml', text.replace(/<domain type=(['"])kvm\1/, "<domain type='qemu'"))));
      if (v === 'accepted' && name) {
        if ((await verdict(...qemu('undefine', name, '--nvram'))) !== 'accepted') await verdict(...qemu('undefine', name));
      }
      return v;
    },
    // The auto-spawned session daemon exits by itself after 120 s idle.
    dir,
  };
}

/** `oracle [SID_ROOT]`: libvirt 9.0 of the host, and 12.8 of the chroot when given. */
async function oracle(sidRoot) {
  const installs = [['9', libvirtAt('')], ...(sidRoot ? [['12', libvirtAt(sidRoot)]] : [])];
  const out = [];
  for (const row of readTsv(join(OUT, 'manifest.tsv'))) {
    const text = readFileSync(join(OUT, row.file), 'utf8');
    const name = /<name>([^<]*)<\/name>/.exec(text)?.[1]?.trim() ?? '';
    const r = { file: row.file };
    for (const [v, lv] of installs) {
      r[`schema_${v}`] = await lv.schema(text);
      r[`test_define_validate_${v}`] = await lv.test(text);
      r[`qemu_define_validate_${v}`] = await lv.qemu(text, name);
    }
    out.push(r);
    process.stdout.write('.');
  }
  console.log(`\nscratch dirs: ${installs.map(([, lv]) => lv.dir).join(' ')}`);
  writeTsv(join(OUT, 'oracle.tsv'), ['file', ...installs.flatMap(([v]) => [`schema_${v}`, `test_define_validate_${v}`, `qemu_define_validate_${v}`])], out);
}

// --------------------------------------------------------------------------------------- compare

/**
 * Rejections that say nothing about the input: this oracle host lacks KVM (type kvm is rewritten to qemu), runs the
 * qemu driver in session mode, has no swtpm, and QEMU 11.1 (libvirt 12.8) dropped old machine types and devices.
 * `ENV_KVM` ones are real when the input itself says type='qemu'.
 */
const ENV = [/Cannot check QEMU binary/, /virtiofs is not yet supported in session mode/, /TPM version '[^']*' is not supported/,
  /does not support machine type/, /does not support video model/, /graphics are not supported with this QEMU/];
const ENV_KVM = [/does not support virt type/, /cachetune is only supported for KVM domains/, /not supported for virtType=qemu/];
const isEnv = (message, wasKvm) => ENV.some((re) => re.test(message)) || (wasKvm && ENV_KVM.some((re) => re.test(message)));

/**
 * Why libvirt rejected a file, from its message: `in` = one of the blocks we check (vcpu/vcpus, cpu + numa,
 * cputune incl. cachetune/memorytune, numatune, memory vs NUMA cells), `out` = anything else (PCI, TPM, hugepages,
 * devices...). First match wins.
 */
const SCOPE = [
  // RelaxNG names the top-level element whose content failed.
  ['in', /Extra element (cpu|vcpu|vcpus|cputune|numatune) in interleave/],
  ['out', /Extra element \w+ in interleave|Error validating value/],
  ['out', /hugepage|PCI|pci|controller|TPM|tpm|virtiofs|seclabel|video|machine type|ACPI|'gic'|firmware/],
  ['in', /vcpu|vCPU|CPU|cpu|NUMA|numa|cell|topology|cputune|cachetune|memorytune|cache allocations|resctrl|Monitor vcpus|numatune|memnode|nodeset|emulatorpin|iothreadpin|iothreadsched|'iothread'|period|quota|Memory size must be specified/],
];
const scopeOf = (message) => SCOPE.find(([, re]) => re.test(message))?.[0] ?? 'out';

/** The libvirt releases oracle.tsv may hold: column suffix → our --libvirt-version. */
const RELEASES = [['9', '9.0'], ['12', '12.8']];

/**
 * Our diagnostics per file, from the CLI as a user runs it (bundled cpu_map only): errors, and warnings, which is
 * how we report what only the schema rejects (libvirt ignores it unless validating).
 */
async function ours(files, version) {
  const args = [join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '--libvirt-version', version, '--no-host-cpu-map', ...files];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 26, cwd: ROOT }).catch((e) => ({ stdout: e.stdout }));
  const first = (ds, severity) => ds.filter((d) => d.severity === severity).map((d) => d.message.split('\n')[0]);
  return new Map(JSON.parse(stdout).map((r) => [r.file, { errors: first(r.diagnostics, 'error'), warnings: first(r.diagnostics, 'warning') }]));
}

/** One file under one release: libvirt's verdict, its scope, and how ours compares. */
function judge(o, key, version, found, expectation) {
  const qemu = o[`qemu_define_validate_${key}`];
  const test = o[`test_define_validate_${key}`];
  const type = /<domain\s[^>]*?type=['"]([^'"]*)['"]/.exec(readFileSync(join(OUT, o.file), 'utf8'))?.[1] ?? '';
  // Other drivers' domains (xen, bhyve, vmware...) are not the qemu driver's to judge, and where the qemu driver
  // cannot judge on this host, the test driver's generic checks stand in.
  const env = !/^(qemu|kvm)$/.test(type) || isEnv(qemu, type === 'kvm');
  const v = env ? test : qemu;
  const accepted = v === 'accepted';
  const message = accepted ? '' : v.replace(/^rejected: /, '');
  const scope = accepted ? 'in' : scopeOf(message);
  const { errors: errs, warnings } = found.get(join('test', 'fixtures', 'domainxml-heldout', o.file)) ?? { errors: [], warnings: [] };
  const schema = /^XML document failed to validate against schema/.test(message);
  const reported = errs.length > 0 || (schema && warnings.length > 0);
  const cls = scope !== 'in' ? scope : accepted ? (errs.length ? 'false-error' : 'agree') : reported ? 'caught' : 'missed';
  return {
    file: o.file, libvirt: version, libvirt_expectation: expectation,
    oracle: env ? `test driver (qemu driver: ${qemu.replace(/^rejected: /, '')})` : 'qemu driver',
    libvirt_verdict: accepted ? 'accepted' : 'rejected', libvirt_message: message, scope,
    // The generic checks alone (test driver): what a 'define'-stage finding of ours must agree with.
    generic_verdict: test === 'accepted' ? 'accepted' : 'rejected',
    our_errors: errs.join(' | '), our_warnings: schema ? warnings.join(' | ') : '', class: cls,
    message_match: cls === 'caught' && !schema ? (errs.includes(message) ? 'yes' : 'no') : '-',
  };
}

async function compare() {
  const manifest = new Map(readTsv(join(OUT, 'manifest.tsv')).map((r) => [r.file, r]));
  const oracleRows = readTsv(join(OUT, 'oracle.tsv'));
  const files = oracleRows.map((r) => join('test', 'fixtures', 'domainxml-heldout', r.file));
  const rows = [];
  const lines = ['# Held-out libvirt inputs: libvirt vs nova-libvirt-cpu (--libvirt-version of the same release)', ''];
  for (const [key, version] of RELEASES.filter(([k]) => `qemu_define_validate_${k}` in (oracleRows[0] ?? {}))) {
    const found = await ours(files, version);
    const mine = oracleRows.map((o) => judge(o, key, version, found, manifest.get(o.file)?.libvirt_expectation));
    rows.push(...mine);
    const n = (f) => mine.filter(f).length;
    lines.push(`## libvirt ${version}`, '',
      `files ${mine.length} (qemu driver ${n((r) => r.oracle === 'qemu driver')}, test driver ${n((r) => r.oracle !== 'qemu driver')}: other drivers' domains, or the qemu driver cannot judge on this host); in scope ${n((r) => r.scope === 'in')} (accepted ${n((r) => r.scope === 'in' && r.libvirt_verdict === 'accepted')}, rejected ${n((r) => r.scope === 'in' && r.libvirt_verdict === 'rejected')}); out of scope ${n((r) => r.scope === 'out')}`,
      `false errors ${n((r) => r.class === 'false-error')}; missed rejections ${n((r) => r.class === 'missed')}; caught ${n((r) => r.class === 'caught')}; message matches ${n((r) => r.message_match === 'yes')}/${n((r) => r.message_match !== '-')}`,
      '', ...mine.filter((r) => r.class === 'false-error' || r.class === 'missed' || r.message_match === 'no')
        .map((r) => `- ${r.class}${r.message_match === 'no' ? ' (message)' : ''} ${r.file}: libvirt ${r.libvirt_verdict}${r.libvirt_message ? ` "${r.libvirt_message}"` : ''}; ours ${r.our_errors ? `"${r.our_errors}"` : 'none'}`), '');
  }
  writeTsv(join(OUT, 'verdicts.tsv'), Object.keys(rows[0]), rows);
  writeFileSync(join(OUT, 'summary.md'), lines.join('\n'));
  console.log(lines.filter((l) => /^(## |files |false errors )/.test(l)).join('\n'));
}

// -------------------------------------------------------------------------------- generated sets

/** Deterministic choices for the generated sets, so every run writes the same files. */
function chooser(seed) {
  const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
  return { rand, pick: (xs) => xs[Math.floor(rand() * xs.length)] };
}

const domainXml = (name, type, body) => `<domain type='${type}'>\n  <name>${name}</name>\n${body.filter(Boolean).map((l) => `  ${l}\n`).join('')}</domain>\n`;
const OS_X86 = "<os><type arch='x86_64' machine='pc'>hvm</type></os>";

/**
 * libvirt's tests have few <cachetune>/<memorytune> combinations, and their rules (group matching, empty groups,
 * monitors shared by a cachetune and a memorytune of the same vCPUs) interact. The generic parser owns these rules.
 */
function generateResctrl(count) {
  const { rand, pick } = chooser(20261122);
  const GROUPS = ['0-1', '0-3', '2-3', '0-2', '1'];
  const SETS = ['0', '1', '0-1', '0-2', '2', '1-2', '3', '0-3', '2-3'];
  return Array.from({ length: count }, (_, i) => {
    const first = pick(GROUPS);
    const tunes = Array.from({ length: pick([1, 2, 2, 3]) }, () => {
      const vcpus = rand() < 0.5 ? first : pick(GROUPS);
      const kind = pick(['cachetune', 'memorytune']);
      const alloc = rand() < 0.5 ? '' : kind === 'cachetune' ? `<cache id='${pick([0, 1])}' level='3' type='both' size='768' unit='KiB'/>` : `<node id='${pick([0, 1])}' bandwidth='50'/>`;
      const level = kind === 'cachetune' ? " level='3'" : '';
      const monitors = Array.from({ length: pick([0, 1, 2, 3]) }, () => `<monitor${level} vcpus='${pick([...SETS, vcpus, vcpus])}'/>`).join('');
      return `<${kind} vcpus='${vcpus}'>${alloc}${monitors}</${kind}>`;
    });
    const name = `resctrl-${i}`;
    return { name, text: domainXml(name, 'kvm', ["<memory unit='KiB'>1048576</memory>", "<vcpu placement='static'>4</vcpu>", `<cputune>${tunes.join('')}</cputune>`, OS_X86]) };
  });
}

/**
 * <memory>, <maxMemory> (size, slots), NUMA cell memory and memory devices: the sums libvirt checks at define, partly
 * in the generic post-parse, partly in the qemu driver (ABI update, slot assignment, hotplug validation).
 */
function generateMemory(count) {
  const { rand, pick } = chooser(5);
  const dimm = (kind, node) => (kind === 'dimm'
    ? `<memory model='dimm'><target><size unit='KiB'>${pick(['262144', '524288', '1048576'])}</size>${node}</target></memory>`
    : `<memory model='virtio-mem'><target><size unit='KiB'>${pick(['262144', '524288'])}</size>${node}<block unit='KiB'>2048</block><requested unit='KiB'>0</requested></target></memory>`);
  return Array.from({ length: count }, (_, i) => {
    const cells = pick([0, 0, 1, 2]);
    const mem = pick([undefined, '0', '524288', '1048576', '2097152']);
    const max = rand() < 0.7 ? `<maxMemory${pick(['', " slots='1'", " slots='2'", " slots='4'", " slots='4'"])} unit='KiB'>${pick(['8388608', '8388608', '1048576', '0'])}</maxMemory>` : '';
    const devices = Array.from({ length: pick([0, 1, 2, 3]) }, () => dimm(pick(['dimm', 'dimm', 'virtio-mem']), cells ? '<node>0</node>' : '')).join('');
    const numa = cells ? `<cpu><numa>${Array.from({ length: cells }, (_, c) => `<cell id='${c}' cpus='${c * 2}-${c * 2 + 1}' memory='${pick(['0', '262144', '524288'])}'/>`).join('')}</numa></cpu>` : '';
    const name = `memory-${i}`;
    return { name, text: domainXml(name, 'qemu', [max, mem === undefined ? '' : `<memory unit='KiB'>${mem}</memory>`, `<vcpu>${Math.max(2, cells * 2)}</vcpu>`, OS_X86, numa, `<devices>${devices}</devices>`]) };
  });
}

/**
 * <vcpu> (count, current), <cpu><topology> (dies, clusters, threads) and <vcpus> across the guest arches the qemu
 * driver knows here (x86_64, i686, aarch64, ppc64, s390x): per-arch and per-machine topology rules at define.
 */
function generateTopology(count) {
  const { rand, pick } = chooser(42);
  const MACHINES = [['x86_64', 'pc'], ['x86_64', 'q35'], ['i686', 'pc'], ['aarch64', 'virt'], ['ppc64', 'pseries'], ['s390x', 's390-ccw-virtio']];
  return Array.from({ length: count }, (_, i) => {
    const [arch, machine] = pick(MACHINES);
    const vcpus = pick([1, 2, 4, 4, 6, 8, 8, 16]);
    const current = rand() < 0.3 ? ` current='${pick([1, 2, 3, 4])}'` : '';
    const t = { sockets: pick([1, 2, 4]), dies: pick([undefined, 1, 2]), clusters: pick([undefined, undefined, 1, 2]), cores: pick([1, 2, 4]), threads: pick([1, 1, 2, 4]) };
    const topo = rand() < 0.75 ? `<topology${Object.entries(t).filter(([, n]) => n !== undefined).map(([k, n]) => ` ${k}='${n}'`).join('')}/>` : '';
    const cpu = topo ? `<cpu>${topo}</cpu>` : '';
    const name = `topology-${i}`;
    const emulator = `<devices><emulator>/usr/bin/qemu-system-${arch === 'i686' ? 'i386' : arch}</emulator></devices>`;
    return { name, text: domainXml(name, 'qemu', ["<memory unit='KiB'>1048576</memory>", `<vcpu placement='static'${current}>${vcpus}</vcpu>`, `<os><type arch='${arch}' machine='${machine}'>hvm</type></os>`, cpu, emulator]) };
  });
}

/** <cpu> mode/match/check/model/features per guest arch: what the qemu driver accepts at define (models are checked at start). */
function generateCpuArch(count) {
  const { rand, pick } = chooser(77);
  const ARCHES = {
    x86_64: { machine: 'pc', models: ['qemu64', 'Haswell', 'Skylake-Server', 'EPYC', 'Westmere', 'cortex-a57'], features: ['vmx', 'pcid', 'ssbd', 'sve', 'hle'] },
    aarch64: { machine: 'virt', models: ['cortex-a57', 'cortex-a72', 'max', 'host', 'Neoverse-N1', 'Haswell'], features: ['sve', 'sve128', 'pauth', 'vmx', 'aes'] },
    ppc64: { machine: 'pseries', models: ['POWER8', 'POWER9', 'POWER10', 'power9', 'Haswell'], features: ['vsx', 'htm', 'vmx'] },
    s390x: { machine: 's390-ccw-virtio', models: ['z14', 'gen15a', 'qemu', 'max', 'Haswell'], features: ['msa9', 'vx', 'iep', 'vmx'] },
  };
  return Array.from({ length: count }, (_, i) => {
    const arch = pick(Object.keys(ARCHES));
    const a = ARCHES[arch];
    const mode = pick([undefined, 'custom', 'custom', 'host-model', 'host-passthrough', 'maximum']);
    const attrs = [mode && ` mode='${mode}'`, rand() < 0.3 && ` match='${pick(['exact', 'minimum', 'strict'])}'`, rand() < 0.4 && ` check='${pick(['none', 'partial', 'full'])}'`,
      rand() < 0.15 && ` migratable='${pick(['on', 'off'])}'`].filter(Boolean).join('');
    const model = rand() < 0.7 ? `<model${rand() < 0.3 ? ` fallback='${pick(['allow', 'forbid'])}'` : ''}>${pick(a.models)}</model>` : '';
    const features = Array.from({ length: pick([0, 0, 1, 2]) }, () => `<feature policy='${pick(['require', 'disable', 'force', 'optional', 'forbid'])}' name='${pick(a.features)}'/>`).join('');
    const name = `cpuarch-${i}`;
    const emulator = `<devices><emulator>/usr/bin/qemu-system-${arch}</emulator></devices>`;
    return { name, text: domainXml(name, 'qemu', ["<memory unit='KiB'>1048576</memory>", "<vcpu placement='static'>2</vcpu>", `<os><type arch='${arch}' machine='${a.machine}'>hvm</type></os>`, `<cpu${attrs}>${model}${features}</cpu>`, emulator]) };
  });
}

/** <cpu><numa> cells (ids, cpus, memory, memAccess, discard, distances, caches, interconnects) with <numatune>. */
function generateNuma(count) {
  const { rand, pick } = chooser(99);
  const opt = (name, xs) => { const x = pick(xs); return x === undefined ? '' : ` ${name}='${x}'`; };
  return Array.from({ length: count }, (_, i) => {
    const n = pick([1, 2, 2, 3, 4]);
    const cells = Array.from({ length: n }, (_, c) => {
      const dist = rand() < 0.3 ? `<distances>${Array.from({ length: n }, (_, d) => `<sibling id='${rand() < 0.1 ? n : d}' value='${c === d ? pick([10, 10, 20]) : pick([20, 21, 10, 255, 5])}'/>`).join('')}</distances>` : '';
      const cache = rand() < 0.2 ? `<cache level='${pick([1, 2, 3])}' associativity='${pick(['direct', 'full', 'none'])}' policy='${pick(['writeback', 'writethrough', 'none'])}'><size value='${pick([32, 256])}' unit='KiB'/><line value='64' unit='B'/></cache>` : '';
      const cpus = pick([`${c * 2}-${c * 2 + 1}`, `${c * 2}-${c * 2 + 1}`, `${c * 2}`, '', `${c}`]);
      const attrs = `${opt('id', [c, c, c, undefined, c + 1])}${cpus === '' && rand() < 0.5 ? '' : ` cpus='${cpus}'`}${opt('memory', [524288, 524288, 262144, 0])}${opt('memAccess', [undefined, undefined, 'shared', 'private'])}${opt('discard', [undefined, undefined, 'yes', 'no'])}`;
      return dist || cache ? `<cell${attrs}>${dist}${cache}</cell>` : `<cell${attrs}/>`;
    });
    const ic = rand() < 0.2 ? `<interconnects><latency initiator='${pick([0, 1])}' target='${pick([0, 1, 2])}' type='${pick(['access', 'read', 'write'])}' value='${pick([5, 10])}'/><bandwidth initiator='0' target='${pick([0, 1])}' type='access' value='204800' unit='KiB'/></interconnects>` : '';
    const vcpu = pick([n * 2, n * 2, 8, 2]);
    const memnodes = rand() < 0.4 ? Array.from({ length: pick([1, 2]) }, (_, k) => `<memnode cellid='${pick([k, k, n])}' mode='${pick(['strict', 'preferred', 'interleave', 'restrictive'])}' nodeset='${pick(['0', '0-1', '1'])}'/>`).join('') : '';
    const memory = rand() < 0.5 ? `<memory mode='${pick(['strict', 'preferred', 'interleave', 'restrictive'])}'${pick([" nodeset='0'", " nodeset='0-1'", " placement='auto'", ''])}/>` : '';
    const numatune = memory || memnodes ? `<numatune>${memory}${memnodes}</numatune>` : '';
    const name = `numa-${i}`;
    const total = 524288 * n;
    return { name, text: domainXml(name, 'qemu', [`<memory unit='KiB'>${total}</memory>`, `<vcpu placement='${pick(['static', 'static', 'auto'])}'>${vcpu}</vcpu>`, numatune, OS_X86, `<cpu><numa>${cells.join('')}${ic}</numa></cpu>`]) };
  });
}

/** <cputune> scalars, pins and schedulers with <vcpu cpuset/current>, <vcpus> and <iothreads>. */
function generateCputune(count) {
  const { rand, pick } = chooser(1234);
  const opt = (name, xs) => { const x = pick(xs); return x === undefined ? '' : ` ${name}='${x}'`; };
  const SETS = ['0-3', '0', '1,3', '0-1,^1', '2-3', '4', '0,^0', '1-0', '0-7'];
  return Array.from({ length: count }, (_, i) => {
    const max = pick([2, 4, 4]);
    const scalar = (name, xs) => (rand() < 0.3 ? `<${name}>${pick(xs)}</${name}>` : '');
    const pins = Array.from({ length: pick([0, 1, 2, 3]) }, () => `<vcpupin vcpu='${pick([0, 1, 2, 3, 5])}' cpuset='${pick(SETS)}'/>`).join('');
    const iothreads = pick([0, 0, 1, 2]);
    const iopins = iothreads && rand() < 0.5 ? `<iothreadpin iothread='${pick([1, 2, 3])}' cpuset='${pick(SETS)}'/>` : '';
    const sched = rand() < 0.4 ? `<vcpusched vcpus='${pick(['0', '0-1', '1-3', '0,^0', '3'])}' scheduler='${pick(['fifo', 'rr', 'batch', 'idle', 'other'])}'${opt('priority', [undefined, 1, 50, 99, 0])}/>` : '';
    const iosched = iothreads && rand() < 0.3 ? `<iothreadsched iothreads='${pick(['1', '1-2', '3'])}' scheduler='${pick(['fifo', 'batch'])}'${opt('priority', [undefined, 10])}/>` : '';
    const emu = rand() < 0.3 ? `<emulatorpin cpuset='${pick(SETS)}'/>` : '';
    const emusched = rand() < 0.2 ? `<emulatorsched scheduler='${pick(['fifo', 'idle', 'batch'])}'${opt('priority', [undefined, 5])}/>` : '';
    const body = [scalar('shares', [0, 1, 2, 1024, 262145]), scalar('period', [1000, 100000, 999]), scalar('quota', [-1, 0, 1000, 17592186044415]),
      scalar('emulator_period', [1000, 500]), scalar('iothread_quota', [-1, 1000]), pins, emu, iopins, sched, iosched, emusched].join('');
    const vcpusEl = rand() < 0.25 ? `<vcpus>${Array.from({ length: max }, (_, v) => `<vcpu id='${v}' enabled='${v === 0 || rand() < 0.6 ? 'yes' : 'no'}' hotpluggable='${v === 0 ? 'no' : pick(['yes', 'no'])}'/>`).join('')}</vcpus>` : '';
    const name = `cputune-${i}`;
    return { name, text: domainXml(name, 'qemu', ["<memory unit='KiB'>1048576</memory>", `<vcpu placement='static'${opt('cpuset', [undefined, undefined, '0-3', '0,^0'])}${opt('current', [undefined, undefined, 1, max])}>${max}</vcpu>`, vcpusEl, iothreads ? `<iothreads>${iothreads}</iothreads>` : '', body ? `<cputune>${body}</cputune>` : '', OS_X86]) };
  });
}

/** name → generator and the driver that judges it (`define` without --validate: the parser's and driver's verdict, not the schema's). */
const GENERATED = {
  resctrl: { make: () => generateResctrl(300), judge: (lv, text) => lv.test(text, false) },
  memory: { make: () => generateMemory(300), judge: (lv, text, name) => lv.qemu(text, name, false) },
  topology: { make: () => generateTopology(300), judge: (lv, text, name) => lv.qemu(text, name, false) },
  cpuarch: { make: () => generateCpuArch(300), judge: (lv, text, name) => lv.qemu(text, name, false) },
  numa: { make: () => generateNuma(300), judge: (lv, text, name) => lv.qemu(text, name, false) },
  cputune: { make: () => generateCputune(300), judge: (lv, text, name) => lv.qemu(text, name, false) },
};

async function generated(set, sidRoot) {
  const g = GENERATED[set];
  if (!g) throw new Error(`no generated set '${set}' (${Object.keys(GENERATED).join(', ')})`);
  const dir = join(OUT, `generated-${set}`);
  mkdirSync(dir, { recursive: true });
  const installs = [['9.0', libvirtAt('')], ...(sidRoot ? [['12.8', libvirtAt(sidRoot)]] : [])];
  const rows = [];
  for (const { name, text } of g.make()) {
    writeFileSync(join(dir, `${name}.xml`), text);
    for (const [version, lv] of installs) {
      const v = await g.judge(lv, text, name);
      rows.push({ file: `generated-${set}/${name}.xml`, libvirt: version, libvirt_verdict: v === 'accepted' ? 'accepted' : 'rejected', libvirt_message: v.replace(/^(accepted|rejected: )/, '') });
    }
  }
  writeTsv(join(dir, 'verdicts.tsv'), ['file', 'libvirt', 'libvirt_verdict', 'libvirt_message'], rows);
  console.log(`${rows.length} verdicts in ${dir}`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'collect') collect(args[0], args[1]);
else if (cmd === 'oracle') await oracle(args[0]);
else if (cmd === 'compare') await compare();
else if (cmd === 'generated') await generated(args[0], args[1]);
else { console.error('usage: heldout-libvirt.mjs collect SRC11 [SRC9] | oracle [SID_ROOT] | compare | generated resctrl|memory|topology|cpuarch|numa|cputune [SID_ROOT]'); process.exit(2); }
