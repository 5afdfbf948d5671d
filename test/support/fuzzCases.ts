/**
 * Seeded mutations of real configs for the fuzz tests: the same (seed, index) always gives the
 * same text, so a failure names a case anyone can regenerate. Mutations aim at the classes of
 * hostile input that crashed or stalled us (issue 7): numbers written in the document that look
 * like sizes, repeated tokens, nesting, entity and comment runs, continuation lines, duplicates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { below, pick, rng } from './prng';

export type FuzzKind = 'nova-conf' | 'domain-xml';
export interface FuzzCase { kind: FuzzKind; name: string; text: string }

const ROOT = join(__dirname, '..', '..');

function filesUnder(dir: string, ext: RegExp, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) filesUnder(p, ext, out);
    else if (ext.test(e)) out.push(p);
  }
  return out.sort();
}

/** Seeds: the shipped examples and the hand-written fixtures (real operators' shapes). */
export function seedTexts(kind: FuzzKind): string[] {
  const ext = kind === 'nova-conf' ? /\.conf$/ : /\.xml$/;
  const sub = kind === 'nova-conf' ? 'nova' : 'libvirt';
  return filesUnder(join(ROOT, 'examples', sub), ext).map((p) => readFileSync(p, 'utf8'));
}

const BIG_NUMBERS = ['0', '-1', '2147483648', '4294967296', '99999999999999999999', '1e9', '0x10', '4096', '16383', ' 7 '];
const CPUSETS = ['0-4294967295', '0-16383', '^0', '0-3,^2', '^2,0-3', '1-0', ',,', '0-', '-5', '0-2147483647,^1'];
const TOKENS: Record<FuzzKind, string[]> = {
  'nova-conf': ['[libvirt]', '[compute]', '[DEFAULT]', 'cpu_mode = custom', 'cpu_mode = host-passthrough', 'cpu_models = ',
    'cpu_model_extra_flags = ', 'cpu_dedicated_set = ', 'vcpu_pin_set = ', 'virt_type = kvm', '\n  ', '\n\t', ' # x', '=', ':',
    '\n[', ']', ',', '+', '-', '\uFFFD', 'é', '\r\n', 'SandyBridge-vmx', 'vmx', 'Skylake-Server-IBRS'],
  'domain-xml': ['<!--a-->', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&#x41;', '&lt;', '&bogus;', '<?x y?>', '<cpu>', '</cpu>',
    "<cell id='0' cpus='0-3' memory='1024'/>", "<vcpupin vcpu='0' cpuset='0'/>", "<feature policy='require' name='vmx'/>",
    "<topology sockets='1' cores='2' threads='2'/>", '<numa>', '</numa>', '<vcpu>', '</vcpu>', "'", '"', '<', '>', '/>', '\n',
    "mode='host-passthrough'", "placement='auto'", 'é', '\uFFFD'],
};

/** Inserts, deletes, replaces and repeats slices; bounded so one case stays well under the size limit. */
function mutate(text: string, kind: FuzzKind, r: () => number, maxLen: number): string {
  let t = text;
  const steps = 1 + below(r, 6);
  for (let i = 0; i < steps; i++) {
    const at = below(r, t.length + 1);
    switch (below(r, 9)) {
      case 0: t = t.slice(0, at) + pick(r, TOKENS[kind]) + t.slice(at); break;
      case 1: t = t.slice(0, at) + t.slice(at + 1 + below(r, 40)); break;
      case 2: t = t.slice(0, at) + String.fromCharCode(below(r, 0x80)) + t.slice(at + 1); break;
      case 3: t = t.replace(/\d+/, () => pick(r, BIG_NUMBERS)); break;
      case 4: t = t.replace(/(cpuset|cpus|nodeset|_set)(='|\s*=\s*)[^'\n]*/, (_m, a, b) => `${a}${b}${pick(r, CPUSETS)}`); break;
      case 5: { // repeat a slice many times: the "work grows faster than the document" class
        const len = 1 + below(r, 60);
        const piece = t.slice(at, at + len) || pick(r, TOKENS[kind]);
        const times = 1 + below(r, Math.max(1, Math.floor((maxLen - t.length) / piece.length)));
        t = t.slice(0, at) + piece.repeat(Math.min(times, 20_000)) + t.slice(at);
        break;
      }
      case 6: t = t.slice(0, at); break; // truncation: unterminated everything
      case 7: t = t.slice(at); break;
      default: t = t.slice(0, at) + pick(r, TOKENS[kind]).repeat(1 + below(r, 3000)) + t.slice(at);
    }
    if (t.length > maxLen) t = t.slice(0, maxLen);
  }
  return t;
}

/** Case `index` of the run with `seed`: deterministic. */
export function fuzzCase(seed: number, index: number, kind: FuzzKind, seeds: string[], maxLen = 256 * 1024): FuzzCase {
  const r = rng((seed * 1_000_003 + index) >>> 0);
  const base = pick(r, seeds);
  return { kind, name: `${kind} seed=${seed} case=${index}`, text: mutate(base, kind, r, maxLen) };
}
