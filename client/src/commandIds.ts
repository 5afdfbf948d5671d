/**
 * The host commands' ids, in one place without a vscode import: commands/index.ts registers
 * exactly these (its table is typed by them), and the manifest test checks that package.json
 * contributes exactly these, each disabled in an untrusted workspace.
 */
export const HOST_COMMAND_IDS = [
  'novaLibvirtCpu.setNovaCpuMode',
  'novaLibvirtCpu.rollbackCpuMode',
  'novaLibvirtCpu.changeDomainCpuMode',
  'novaLibvirtCpu.checkNested',
  'novaLibvirtCpu.showHostProfile',
  'novaLibvirtCpu.refreshHostProfile',
  'novaLibvirtCpu.adviseMigration',
  'novaLibvirtCpu.showLog',
] as const;

export type HostCommandId = (typeof HOST_COMMAND_IDS)[number];
