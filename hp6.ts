import { planNovaCpuMode } from './server/src/ops/novaConfPlan';
import { knowledgeFor } from './test/fixtures/novaconf/helpers';
import { NOVA_SAMPLE, read, snapshot } from './test/support/ops';
const k = knowledgeFor('zed');
const t = read(NOVA_SAMPLE).replace('\n[libvirt]\n', '\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell-noTSX\ncpu_model_extra_flags = pcid\n');
for (let i = 0; i < 80; i++) planNovaCpuMode([snapshot('/etc/nova/nova.conf', t + `# ${i}\n`)], { mode: 'host-passthrough' }, k);
