/** A Nova-managed domain: hand edits are lost when Nova regenerates the XML. */
import { nameSpan } from '../report';
import type { RuleContext } from './context';

export function novaRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  if (!model.domain || !model.novaMetadata) return;
  report.add({ code: 'libvirt/nova-managed', at: nameSpan(model.domain), stage: 'advice', severity: 'information',
    explanation: 'This domain is managed by OpenStack Nova (nova:instance metadata). Nova rebuilds its XML from the flavor, image properties and nova.conf on hard reboot, resize, migration and rebuild: a `virsh define`/`virsh edit` change here is lost. Change [libvirt] cpu_mode/cpu_models/cpu_model_extra_flags in nova.conf or the flavor (hw:cpu_*, hw:numa_*) instead.' });
}
