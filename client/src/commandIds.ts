/**
 * The commands' ids, in one place without a vscode import: commands/index.ts registers exactly
 * these (its tables are typed by them), and the manifest test checks that package.json contributes
 * exactly these, each host command disabled in an untrusted workspace.
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
  // The Compute nodes view (its title bar and its hosts' and groups' context menus).
  'novaLibvirtCpu.refreshComputeNodes',
  'novaLibvirtCpu.setNovaCpuModeOnNode',
  'novaLibvirtCpu.showNodeProfile',
  'novaLibvirtCpu.checkNestedOnNode',
  'novaLibvirtCpu.adviseGroup',
  'novaLibvirtCpu.rolloutCpuMode',
] as const;

export type HostCommandId = (typeof HOST_COMMAND_IDS)[number];

/** Commands that only read the workspace or change settings: allowed in an untrusted workspace. */
export const EDITOR_COMMAND_IDS = ['novaLibvirtCpu.selectNovaRelease', 'novaLibvirtCpu.checkWorkspace'] as const;

export type EditorCommandId = (typeof EDITOR_COMMAND_IDS)[number];
