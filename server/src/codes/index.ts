/**
 * The registry of finding codes: one module per kind, `Code` the union of their keys, so a rule
 * cannot report a code the registry lacks (the type checker refuses it).
 */
import type { CodeInfo, CodeKind } from './types';
import { novaCodes, novaKind } from './nova';
import { libvirtCodes, libvirtKind } from './libvirt';
import { hostCodes, hostKind } from './host';
import { inputCodes, inputKind } from './input';

export type NovaCode = keyof typeof novaCodes;
export type LibvirtCode = keyof typeof libvirtCodes;
export type HostCode = keyof typeof hostCodes;
export type InputCode = keyof typeof inputCodes;
export type Code = NovaCode | LibvirtCode | HostCode | InputCode;

/** The pages of the rules reference, in order. */
export const CODE_KINDS: ReadonlyArray<CodeKind> = [novaKind, libvirtKind, hostKind, inputKind];

const byCode = new Map<string, { info: CodeInfo; kind: CodeKind }>();
for (const kind of CODE_KINDS) {
  for (const [code, info] of Object.entries(kind.codes) as Array<[string, CodeInfo]>) {
    if (byCode.has(code)) throw new Error(`code ${code} is registered twice`);
    byCode.set(code, { info, kind });
  }
}

export function codeInfo(code: string): CodeInfo | undefined { return byCode.get(code)?.info; }
export function codeKind(code: string): CodeKind | undefined { return byCode.get(code)?.kind; }
export function isCode(code: string): code is Code { return byCode.has(code); }
/** Every registered code, sorted. */
export function allCodes(): Code[] { return [...byCode.keys()].sort() as Code[]; }
