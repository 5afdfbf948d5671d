/**
 * Hostile nova.conf texts (issue 7), shared by bench/novaconf.hostile.bench.ts and
 * test/unit/novaconf.hostile.test.ts. Each is a size the issue measured; `scale` grows or
 * shrinks it (the tests use smaller ones where the shape, not the size, is the point).
 */
import { MAX_CHECKED_BYTES } from '../server/src/core/inputChecks';

/** x86 models of libvirt's cpu_map, oldest first (each one's features include the one before's, mostly). */
export const KNOWN_MODELS = ['Nehalem', 'Westmere', 'SandyBridge', 'IvyBridge', 'Haswell', 'Broadwell', 'Skylake-Client', 'Skylake-Server', 'Cascadelake-Server', 'Icelake-Server'];

const list = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i)).join(',');
const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('');

export interface HostileInput {
  name: string;
  /** What the issue saw before the fix. */
  before: string;
  text: () => string;
}

export const HOSTILE: HostileInput[] = [
  {
    name: '150k duplicate keys',
    before: 'stack overflow: CLI exit 3, server publishes nothing',
    // cpu_mode = custom with no models is an error, so the CLI's verdict is exit 1.
    text: () => `[libvirt]\n${lines(150_000, () => 'cpu_mode = custom\n')}`,
  },
  {
    name: '200k duplicate sections',
    before: '100,000 diagnostics, 31 MB of JSON',
    text: () => lines(200_000, () => '[libvirt]\nvirt_type = kvm\n'),
  },
  {
    name: '60k unknown flags',
    before: '589 KB publish 75 MB of JSON',
    text: () => `[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = ${list(60_000, (i) => `flag${i}`)}\n`,
  },
  {
    name: '8k cpu_models',
    before: '0.6 s',
    text: () => `[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = ${list(8_000, (i) => KNOWN_MODELS[i % KNOWN_MODELS.length])}\n`,
  },
  {
    name: '52k cpu_models',
    before: '> 60 s',
    text: () => `[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = ${list(52_000, (i) => KNOWN_MODELS[i % KNOWN_MODELS.length])}\n`,
  },
  {
    name: '52k unknown cpu_models',
    before: 'did-you-mean per item',
    text: () => `[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = ${list(52_000, (i) => `Haswel${i}`)}\n`,
  },
  {
    name: '100k continuation lines',
    before: '11 s (CLI), > 20 s per change (server)',
    text: () => `[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = vmx,\n${lines(100_000, (i) => `  flag${i},\n`)}`,
  },
  {
    name: '100k key-like continuation lines',
    before: 'a finding per line, unbounded',
    text: () => `[DEFAULT]\ndebug = true\n${lines(100_000, (i) => `  option${i} = ${i}\n`)}`,
  },
  {
    name: '100k unknown keys',
    before: 'a did-you-mean per key',
    text: () => `[libvirt]\n${lines(100_000, (i) => `cpu_mod${i} = custom\n`)}`,
  },
  {
    name: '100k misspelt sections',
    before: 'a did-you-mean per section',
    text: () => lines(100_000, (i) => `[libvirtt${i}]\ncpu_mode = custom\n`),
  },
  {
    name: 'cpusets: 0-4294967295 against 100k CPUs',
    before: 'a finding per piece, each quoting the whole set',
    text: () => `[compute]\ncpu_dedicated_set = 0-4294967295\ncpu_shared_set = ${list(100_000, (i) => String(i * 2))}\n`,
  },
  {
    name: 'cpusets: 100k ^N exclusions',
    before: '',
    text: () => `[compute]\ncpu_dedicated_set = 0-4294967295,${list(100_000, (i) => `^${i * 2}`)}\ncpu_shared_set = 1-99\n`,
  },
  {
    name: 'a bad choice before 100k items',
    before: 'each item joined to the rest and tried again (quadratic)',
    text: () => `[DEFAULT]\nenabled_apis = ec2,${list(100_000, () => 'metadata')}\n`,
  },
  {
    name: 'a dict of 200k pieces without a colon',
    before: 'each attempt one piece longer, all of them tried (quadratic: 40k pieces 15 s)',
    // [DEFAULT] reserved_huge_pages is a Dict: no piece is NAME:VALUE, so oslo.config joins them all, and fails.
    text: () => `[DEFAULT]\nreserved_huge_pages = ${list(200_000, (i) => `node${i}`)}\n`,
  },
  {
    name: '$references fanning out 100-fold, 5 deep',
    before: '10^8 substitutions (100^4)',
    text: () => `[DEFAULT]\n${['a', 'b', 'c', 'd'].map((k, i) => `${k} = ${`$${'abcde'[i + 1]}`.repeat(100)}\n`).join('')}e = x\n[vnc]\nserver_proxyclient_address = $a\n`,
  },
  {
    name: '1 MB of blanks before a #',
    before: 'backtracking inline-comment regex',
    text: () => `[libvirt]\ncpu_mode = custom${' '.repeat(1 << 20)}x\ncpu_models = Haswell\n`,
  },
  {
    name: '1 MB of commas in a list',
    before: 'backtracking trailing-comma regex',
    text: () => `[libvirt]\ncpu_mode = custom\ncpu_models = Haswell${','.repeat(1 << 20)}x\n`,
  },
];

/** The same shapes grown to the size limit (MAX_CHECKED_BYTES, 16 MiB), for the memory target. */
const LIMIT = MAX_CHECKED_BYTES;
const MIB = `${LIMIT / 1048576} MiB`;
export const AT_SIZE_LIMIT: HostileInput[] = [
  {
    name: `${MIB} of duplicate keys`,
    before: '',
    text: () => `[libvirt]\n${'cpu_mode = custom\n'.repeat(Math.floor(LIMIT / 18) - 1)}`,
  },
  {
    name: `${MIB} of continuation lines`,
    before: '',
    text: () => `[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = vmx,\n${' pcid,\n'.repeat(Math.floor(LIMIT / 7) - 20)}`,
  },
  {
    name: `${MIB} cpusets`,
    before: '',
    text: () => `[compute]\ncpu_shared_set = ${'1,'.repeat(Math.floor(LIMIT / 2) - 40)}1\n`,
  },
  {
    name: `${MIB} cpu_models`,
    before: '',
    text: () => `[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = ${'Haswell,'.repeat(Math.floor(LIMIT / 8) - 10)}\n`,
  },
];
