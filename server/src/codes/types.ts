/**
 * What the registry knows about one finding code. The rules reference (docs/rules/), the README's
 * tables, `nova-libvirt-cpu codes`, diagnostics' code links and the per-code severity setting all
 * read these entries; nothing else lists codes.
 */
import type { Severity, Stage } from '../core/findings';

/** A document that shows the code (`before`) and the same document fixed (`after`): tests run both. */
export interface CodeExample {
  before: string;
  after: string;
  /** Settings the example needs (a release or libvirt version where the rule differs); else the defaults. */
  settings?: { novaRelease?: string; libvirtVersion?: string };
}

export interface CodeInfo {
  /** Who rejects (or rewrites) the input, for the usual case of the code. */
  stage: Stage;
  /** The severity a finding of this code has unless the rule knows better (see `severityNote`) or the user overrides it. */
  severity: Severity;
  /** One line: the point, in our words. */
  summary: string;
  /** Why it matters and what to do, for the rules reference. */
  explanation: string;
  /** Upstream's message (Nova's, oslo.config's, libvirt's or QEMU's), `…` where a value goes; a list where it has several forms. */
  upstream?: string | readonly string[];
  /** When the rule uses another severity than `severity` (e.g. a warning where the release is unsure). */
  severityNote?: string;
  /**
   * A small document showing the code, and the fix. For domain XML the texts are the domain's
   * children (see examples.ts: wrapped in a minimal domain unless they bring their own <vcpu>).
   */
  example?: CodeExample;
  /** A code whose input no small document shows (a config set, a host profile, a 10 MB file): the test that produces it. */
  testedIn?: string;
}

/** One page of the rules reference: the codes of one document kind. */
export interface CodeKind<C extends string = string> {
  /** File name under docs/rules/ without `.md`. */
  page: string;
  title: string;
  /** What the page covers, for its head. */
  intro: string;
  /** How examples are written: `nova.conf` texts, or domain XML children. */
  language: 'ini' | 'xml' | 'text';
  codes: Record<C, CodeInfo>;
}
