/** Our own LSP messages beside the standard ones: their names and shapes, shared by the server and the VS Code client. */
import type { Severity } from './core/findings';

/** Server -> client notification: what the checks judge with (knowledgeStatus.ts's KnowledgeStatus). */
export const STATUS_NOTIFICATION = 'novaLibvirtCpu/status';

/** Client -> server notification: the compute node's host profile, or null to forget it. */
export const HOST_PROFILE_NOTIFICATION = 'novaLibvirtCpu/hostProfile';

/** Client -> server request `{ uris }`: check these files (open ones as edited, others as saved) and publish their diagnostics. */
export const CHECK_FILES_REQUEST = 'novaLibvirtCpu/checkFiles';

export interface CheckFilesResult {
  /** Files that are ours (nova.conf, libvirt domain XML) and were checked. */
  checked: number;
  /** Files that were read but are not ours (XML without a libvirt <domain> root). */
  notOurs: number;
  notRead: Array<{ uri: string; reason: string }>;
  counts: Record<Severity, number>;
}
