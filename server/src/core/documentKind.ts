/**
 * Which of our languages a document speaks. Editors tell us a languageId; the CLI only
 * has a path and the text. Domain XML shares VS Code's `xml` language with every other
 * XML file, so for XML we look at the root element's shape and stay silent on anything else.
 */
export type DocumentKind = 'nova-conf' | 'domain-xml';

const NOVA_CONF_NAME = /(^|\/)(nova|nova-[^/]*)\.conf$/;
const NOVA_CONF_D = /\/nova(-compute)?\.conf\.d\/[^/]+\.conf$/;

export function isNovaConfPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  return NOVA_CONF_NAME.test(p) || NOVA_CONF_D.test(p);
}

/** How far into a file we look for its root: never scan a huge file for this. */
const HEAD = 64 * 1024;

/**
 * libvirt's domain types: the values of the `type` attribute its schema (domaincommon.rng, `hvs`) and
 * its parser (virDomainVirtType) accept. Compared case-sensitively, as libvirt does.
 */
const LIBVIRT_DOMAIN_TYPES = new Set([
  'none', 'qemu', 'kqemu', 'kvm', 'xen', 'lxc', 'uml', 'openvz', 'test', 'vmware', 'hyperv', 'vbox', 'phyp',
  'parallels', 'bhyve', 'vz', 'hvf', 'ch',
]);

/**
 * Children a libvirt <domain> can have (domain.rng's top level) that hardly any other program's
 * <domain> has: one of them is enough to call a <domain> without a valid `type` libvirt's (Nova's
 * tests and kubevirt write fragments such as `<domain><cputune>...</cputune></domain>`).
 */
const LIBVIRT_ONLY_CHILDREN = new Set([
  'genid', 'maxMemory', 'memory', 'currentMemory', 'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus',
  'iothreads', 'iothreadids', 'defaultiothread', 'cputune', 'numatune', 'sysinfo', 'bootloader', 'bootloader_args',
  'os', 'idmap', 'cpu', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices',
  'seclabel', 'keywrap', 'launchSecurity', 'throttlegroups', 'commandline', 'capabilities', 'deprecation', 'override',
]);
/** libvirt children whose names other formats use too: they count only under a valid `type`. */
const LIBVIRT_GENERIC_CHILDREN = new Set(['name', 'uuid', 'title', 'description', 'metadata', 'features', 'resource', 'clock']);

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isNameChar = (c: number) => (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46 || c > 127;

/**
 * A linear walk over the head of an XML text, markup by markup (no regex: user text must never
 * make us backtrack). Knows the prolog's parts: BOM, blanks, comments, PIs, a DOCTYPE with an
 * internal subset (quoted strings and comments in it may hold `]` and `>`).
 */
class HeadScanner {
  i = 0;
  constructor(readonly s: string) { if (s.charCodeAt(0) === 0xfeff) this.i = 1; }

  /** Index after `end` searched from `from`, or the text's length when it never comes. */
  private past(end: string, from: number): number {
    const e = this.s.indexOf(end, from);
    return e < 0 ? this.s.length : e + end.length;
  }

  /** Skips a comment, PI or declaration at `i` (which holds `<!` or `<?`); false if there is none. */
  skipMarkup(): boolean {
    const { s } = this;
    if (s.startsWith('<!--', this.i)) { this.i = this.past('-->', this.i + 4); return true; }
    if (s.startsWith('<?', this.i)) { this.i = this.past('?>', this.i + 2); return true; }
    if (s.startsWith('<![CDATA[', this.i)) { this.i = this.past(']]>', this.i + 9); return true; }
    if (!s.startsWith('<!', this.i)) return false;
    // <!DOCTYPE ... [ internal subset ] > or another declaration.
    let j = this.i + 2;
    let inSubset = false;
    while (j < s.length) {
      const c = s[j];
      if (c === '"' || c === "'") { j = this.past(c, j + 1); continue; }
      if (inSubset && s.startsWith('<!--', j)) { j = this.past('-->', j + 4); continue; }
      if (c === '[') inSubset = true;
      else if (c === ']') inSubset = false;
      else if (c === '>' && !inSubset) { j++; break; }
      j++;
    }
    this.i = j;
    return true;
  }

  /** Moves to the next `<` that starts a tag, skipping text and markup; false at the end. */
  nextTag(): boolean {
    for (;;) {
      const lt = this.s.indexOf('<', this.i);
      if (lt < 0) { this.i = this.s.length; return false; }
      this.i = lt;
      if (!this.skipMarkup()) return true;
    }
  }

  /** Reads the name after `<` or `</` at `i`. */
  name(from: number): string {
    let j = from;
    while (j < this.s.length && isNameChar(this.s.charCodeAt(j))) j++;
    return this.s.slice(from, j);
  }

  /** From inside a start tag, reads its attributes up to `>`; returns them and whether it self-closed. */
  attrsToEnd(from: number): { attrs: Map<string, string>; selfClosing: boolean; complete: boolean } {
    const { s } = this;
    const attrs = new Map<string, string>();
    let pending: string | undefined;
    let j = from;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c === 62 /* > */) { this.i = j + 1; return { attrs, selfClosing: s.charCodeAt(j - 1) === 47, complete: true }; }
      if (c === 34 || c === 39) {
        const end = this.past(s[j], j + 1);
        if (pending !== undefined) attrs.set(pending, s.slice(j + 1, end - 1));
        pending = undefined;
        j = end;
        continue;
      }
      if (isNameChar(c)) { const n = this.name(j); pending = n; attrs.set(n, ''); j += n.length; continue; }
      j++;
    }
    this.i = j;
    return { attrs, selfClosing: false, complete: false };
  }
}

/**
 * True when the first element of an XML text (after BOM, prolog, comments, PIs, doctype) is a
 * libvirt <domain>: one with libvirt's shape, since GlassFish/Payara (`<domain log-root=...>`),
 * WildFly (`<domain xmlns="urn:jboss:domain:20.0">`) and others name their root <domain> too.
 * - A default namespace: never libvirt's (its domain XML has none; libvirt's XPaths would find nothing).
 * - A `type` from libvirt's list: libvirt's, unless the direct children the head shows are all
 *   foreign (none yet is a domain being typed).
 * - No or another `type`: libvirt's only with a child only libvirt has (<vcpu>, <cputune>, <os>...)
 *   and no foreign child.
 */
export function hasDomainRoot(text: string): boolean {
  const sc = new HeadScanner(text.slice(0, HEAD));
  while (sc.i < sc.s.length && isSpace(sc.s.charCodeAt(sc.i))) sc.i++;
  // The root must be the first thing after the prolog: text before it means this is not XML we know.
  for (;;) {
    if (sc.s[sc.i] !== '<') return false;
    if (!sc.skipMarkup()) break;
    while (sc.i < sc.s.length && isSpace(sc.s.charCodeAt(sc.i))) sc.i++;
  }
  if (sc.name(sc.i + 1) !== 'domain') return false;
  const root = sc.attrsToEnd(sc.i + 1 + 'domain'.length);
  if (root.attrs.has('xmlns')) return false;
  const typed = LIBVIRT_DOMAIN_TYPES.has(root.attrs.get('type') ?? '');
  if (root.selfClosing || !root.complete) return typed;
  let depth = 1;
  let sawOnlyLibvirt = false;
  let sawForeign = false;
  while (depth > 0 && sc.nextTag()) {
    if (sc.s[sc.i + 1] === '/') { depth--; sc.i += 2; continue; }
    const name = sc.name(sc.i + 1);
    if (!name) { sc.i++; continue; }
    const tag = sc.attrsToEnd(sc.i + 1 + name.length);
    if (depth === 1) {
      const local = name.slice(name.indexOf(':') + 1);
      if (LIBVIRT_ONLY_CHILDREN.has(local)) sawOnlyLibvirt = true;
      else if (!LIBVIRT_GENERIC_CHILDREN.has(local)) sawForeign = true;
      else if (typed) return true;
      if (typed && sawOnlyLibvirt) return true;
      if (sawForeign && !typed) return false;
    }
    if (!tag.selfClosing) depth++;
  }
  return typed ? !sawForeign : sawOnlyLibvirt;
}

export function detectKind(path: string, text: string, languageId?: string): DocumentKind | undefined {
  if (languageId === 'nova-conf') return 'nova-conf';
  if (languageId === 'xml') return hasDomainRoot(text) ? 'domain-xml' : undefined;
  if (languageId) return undefined;
  // No editor hint (CLI): decide by name, then by content.
  if (/\.xml$/i.test(path)) return hasDomainRoot(text) ? 'domain-xml' : undefined;
  if (isNovaConfPath(path) || /\.conf$/i.test(path)) return 'nova-conf';
  if (hasDomainRoot(text)) return 'domain-xml';
  return undefined;
}
