/**
 * The planners' API (pure: no I/O, no vscode). The transaction (hosts/), the CLI and the VS Code
 * commands call only these.
 */
export { planNovaCpuMode } from './novaConfPlan';
export { readNovaCpuConfig } from './novaConfSet';
export { unifiedDiff } from './diff';
export type * from './types';
export { planDomainCpuMode } from './domainCpuPlan';
