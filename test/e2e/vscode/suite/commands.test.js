// Host commands in real VS Code (code-server): registered and enabled; *Set Nova CPU mode…* driven
// through its diff preview and apply; on the real compute node (run.mjs starts code-server inside its
// mount namespace), a change Nova accepts, one it refuses (Nova's own message), and the rollback.
// The questions are answered through the extension's exported setPrompts: the commands themselves,
// vscode.diff, the transaction, the restart and Nova's log are the real ones.
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const vscode = require('vscode');
const h = require('./helpers');

const IDS = ['setNovaCpuMode', 'rollbackCpuMode', 'changeDomainCpuMode', 'checkNested', 'showHostProfile', 'refreshHostProfile', 'adviseMigration', 'showLog'].map((c) => `novaLibvirtCpu.${c}`);
const NODE = process.env.NLC_E2E_COMPUTE_NODE;
const PREVIEW_SCHEME = 'nova-libvirt-cpu-preview';

/** Answers by question id; records every question and, at the apply confirmation, the diff editor that is open. */
function scripted(answers) {
  const asked = [];
  const seen = {};
  const answer = (id, items) => {
    const a = answers[id];
    if (a === undefined) throw new Error(`unexpected question ${id}`);
    return typeof a === 'function' ? a(items) : a;
  };
  return {
    asked, seen,
    prompts: {
      pick: async (items, o) => { asked.push(o.id); const want = answer(o.id, items); return items.find((i) => i.label === want); },
      pickMany: async (items, o) => { asked.push(o.id); const want = answer(o.id, items); return items.filter((i) => want.includes(i.label)); },
      input: async (o) => { asked.push(o.id); return answer(o.id); },
      confirm: async (id, message, detail, actions) => {
        asked.push(id);
        seen[id] = { message, detail };
        if (id === 'apply' || id === 'define') {
          const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PREVIEW_SCHEME);
          if (tab) seen.diff = { label: tab.label, before: (await vscode.workspace.openTextDocument(tab.input.original)).getText(), after: (await vscode.workspace.openTextDocument(tab.input.modified)).getText() };
        }
        const a = answer(id);
        return actions.includes(a) ? a : undefined;
      },
    },
  };
}

/**
 * The verification's polls (stat/tail/status every 500 ms) are one line at the default level, with
 * counts; the trace level has every one of them.
 */
function assertFoldedVerification(log, trace) {
  const opened = log.filter((l) => /waiting for nova-compute's verdict \(its log and status\): polling/.test(l));
  const summary = log.filter((l) => /waiting for nova-compute's verdict \(its log and status\): \d+ commands over [\d.]+ s: .*stat -c '%s' \/var\/log\/nova\/nova-compute\.log ×\d+/.test(l));
  assert.ok(opened.length >= 1 && summary.length === opened.length, `one opening and one summary line per verification:\n${log.join('\n')}`);
  // Inside a loop the default level shows no poll that succeeded (a failing one once: on a fresh node
  // the log file does not exist yet, and `stat` says so until nova-compute creates it).
  log.forEach((l, i) => {
    if (!opened.includes(l)) return;
    for (let j = i + 1; j < log.length && !summary.includes(log[j]); j++) assert.ok(!/-> exit 0 in/.test(log[j]), `a poll at the default level:\n${log.join('\n')}`);
  });
  // The trace level has every poll the summaries count (and the log mark's stat before each restart).
  const polls = summary.reduce((n, l) => n + Number(/: (\d+) commands over/.exec(l)[1]), 0);
  const pollLines = trace.filter((l) => /\$ \["(stat","-c","%s"|tail","-c"|\/etc\/init\.d\/nova-compute","status")/.test(l)).length;
  assert.ok(pollLines >= polls, `the trace level has the ${polls} polls: ${pollLines} lines`);
  // Every line of the default view is in the full log too; the polls are in the full log only.
  console.log(`      (${log.length} lines at the default level, ${trace.length} at trace)`);
  assert.ok(trace.length - log.length >= polls - 2 * summary.length, `folding shortens the log: ${log.length} of ${trace.length} lines, ${polls} polls`);
}

describe('host commands in VS Code', function () {
  this.timeout(400000);
  let ext;
  before(async () => { await h.openUntitled('nova-conf', ''); ext = await h.activeExtension(); });
  afterEach(() => ext.exports.setPrompts(undefined));

  it('are registered, contributed to the palette with enablement isWorkspaceTrusted, and enabled in this trusted window', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of IDS) assert.ok(all.includes(id), `${id} registered`);
    const contributed = ext.packageJSON.contributes.commands;
    for (const id of IDS) assert.strictEqual(contributed.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
    assert.ok(vscode.workspace.isTrusted, 'the e2e window is trusted (--disable-workspace-trust)');
    const restricted = ext.packageJSON.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const s of ['hosts', 'service', 'libvirtUri', 'configDir']) assert.ok(restricted.includes(`novaLibvirtCpu.${s}`), s);
  });

  it('puts a "Set Nova CPU mode…" code lens on [libvirt] (through the server\'s document symbols)', async () => {
    const doc = await h.openUntitled('nova-conf', '[DEFAULT]\ndebug = true\n\n[libvirt]\ncpu_mode = host-model\n');
    const lenses = await h.waitFor(async () => {
      const ls = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 10);
      return ls && ls.length ? ls : undefined;
    }, { describe: () => 'no code lens' });
    assert.deepStrictEqual(lenses.map((l) => [l.range.start.line, l.command && l.command.command, l.command && l.command.title]), [[3, 'novaLibvirtCpu.setNovaCpuMode', 'Set Nova CPU mode…']]);
  });

  it('Advise a migration-safe CPU model… on two recorded hosts: the table and the recommendation as a Markdown preview', async () => {
    const hosts = require('path').resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'host-cpus', 'hosts');
    const files = ['Xeon-E5-2650-v3.xml', 'Xeon-Gold-6148.xml'].map((f) => require('path').join(hosts, f));
    const advice = await vscode.commands.executeCommand('novaLibvirtCpu.adviseMigration', { hostCpuFiles: files });
    assert.ok(advice, 'the command returns the advice');
    assert.deepStrictEqual(advice.cpu_models, ['Haswell-noTSX']);
    const doc = vscode.workspace.textDocuments.find((d) => d.languageId === 'markdown' && d.getText().startsWith('# Migration advice (2 hosts)'));
    assert.ok(doc, 'a markdown document with the advice is open');
    assert.match(doc.getText(), /\| Xeon-Gold-6148 \| Intel \| Skylake-Server-v1 \|/);
    assert.match(doc.getText(), /cpu_models = Haswell-noTSX/);
    assert.match(doc.getText(), /openstack aggregate create --property cpu_generation=skylake-server cpu-skylake-server/);
  });

  if (!NODE) {
    // run.mjs could not start the node (it printed why): say so, and fail where oracles are required.
    it('on the compute node: not run here (no compute node)', function () {
      if (process.env.CI_REQUIRE_ORACLES === '1') assert.fail('the compute node did not start (see run.mjs output)');
      this.skip();
    });
    return;
  }

  describe(`on the compute node ${NODE}`, () => {
    const conf = '/etc/nova/nova-compute.conf';
    let original;
    before(async () => {
      // The node may be shared with earlier runs: start from its file without [libvirt] cpu_* keys, put it back after.
      original = fs.readFileSync(conf, 'utf8');
      fs.writeFileSync(conf, original.split('\n').filter((l) => !/^\s*cpu_(mode|models?|model_extra_flags)\s*=/.test(l)).join('\n'));
      const cfg = vscode.workspace.getConfiguration('novaLibvirtCpu');
      await cfg.update('useSudo', false, vscode.ConfigurationTarget.Global); // root inside the node
      await cfg.update('verifyTimeoutSeconds', 150, vscode.ConfigurationTarget.Global);
    });
    after(() => fs.writeFileSync(conf, original));

    it('Refresh host profile learns the node through virsh and sysfs; Show host profile renders it', async () => {
      const p = await vscode.commands.executeCommand('novaLibvirtCpu.refreshHostProfile');
      assert.ok(p && p.customModels.some((m) => m.usable === 'yes'), JSON.stringify(p && p.problems));
      assert.deepStrictEqual(p.problems, []);
      const shown = await vscode.commands.executeCommand('novaLibvirtCpu.showHostProfile');
      assert.strictEqual(shown.gatheredAt, p.gatheredAt, 'the cached profile is shown');
      const doc = vscode.workspace.textDocuments.find((d) => d.languageId === 'markdown' && d.getText().startsWith('# Host profile: localhost'));
      assert.ok(doc, 'a markdown document with the profile is open');
      assert.match(doc.getText(), /\| qemu64 \| yes \|/);
    });

    it('Check nested virtualization reads this machine\'s cpuinfo and the node\'s nova.conf set', async () => {
      const r = await vscode.commands.executeCommand('novaLibvirtCpu.checkNested');
      const hasVirt = /\b(vmx|svm)\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
      assert.strictEqual(r.verdict === 'impossible', !hasVirt, JSON.stringify(r));
      assert.ok(r.facts.some((f) => f.startsWith('/proc/cpuinfo: ')), r.facts.join('\n'));
    });

    it('Set Nova CPU mode… custom/qemu64: diff preview, modal naming host, file and service, apply, Nova running', async () => {
      const before = fs.readFileSync(conf, 'utf8');
      const s = scripted({ mode: 'custom', models: ['qemu64'], 'extra-flags': [], apply: 'Apply' });
      ext.exports.setPrompts(s.prompts);
      const logFrom = ext.exports.recentLog().length;
      const traceFrom = ext.exports.recentLog('trace').length;
      const r = await vscode.commands.executeCommand('novaLibvirtCpu.setNovaCpuMode');
      console.log(`      outcome ${r && r.outcome}: ${r && r.message}`);
      const log = ext.exports.recentLog().slice(logFrom);
      console.log(`      output channel "Nova libvirt CPU":\n${log.map((l) => `        ${l}`).join('\n')}`);
      assert.ok(log.some((l) => /localhost\$ \["\/etc\/init.d\/nova-compute","restart"\] -> exit 0 in \d+ ms/.test(l)), 'the restart is in the command log');
      assertFoldedVerification(log, ext.exports.recentLog('trace').slice(traceFrom));
      assert.deepStrictEqual(s.asked, ['mode', 'models', 'extra-flags', 'apply']);
      assert.ok(s.seen.diff, 'a vscode.diff editor of the planned change was open at the confirmation');
      assert.strictEqual(s.seen.diff.before, before);
      assert.match(s.seen.diff.after, /^cpu_mode = custom$/m);
      assert.match(s.seen.diff.after, /^cpu_models = qemu64$/m);
      assert.match(s.seen.apply.detail, new RegExp(`^Host: localhost\\nFile: ${conf}\\nService: .*nova-compute`));
      assert.match(s.seen.apply.detail, /Running guests keep their CPU until a hard reboot or a migration/);
      assert.strictEqual(r.outcome, 'applied', r.message);
      assert.strictEqual(fs.readFileSync(conf, 'utf8'), s.seen.diff.after, 'the file is what the preview showed');
    });

    it('a model Nova refuses: the failure carries Nova\'s own message; Roll back restores the file byte for byte and Nova runs again', async () => {
      const before = fs.readFileSync(conf, 'utf8');
      const s = scripted({ apply: 'Apply' });
      ext.exports.setPrompts(s.prompts);
      // The model picker offers only what this node's libvirt lists, so the change comes as the command's
      // preset argument (the route *Check nested virtualization* uses). GraniteRapids is in our bundled map
      // but not in this node's libvirt 9.0 map: our checks pass it, Nova refuses it at start-up.
      const logFrom = ext.exports.recentLog().length;
      const traceFrom = ext.exports.recentLog('trace').length;
      const r = await vscode.commands.executeCommand('novaLibvirtCpu.setNovaCpuMode', { mode: 'custom', models: ['GraniteRapids'], extraFlags: [] }, 'localhost');
      console.log(`      outcome ${r && r.outcome}: ${r && r.message}`);
      assert.deepStrictEqual(s.asked, ['apply']);
      assert.match(s.seen.diff.after, /^cpu_models = GraniteRapids$/m);
      assert.strictEqual(r.outcome, 'failed', r.message);
      assert.match(r.message, /Configured CPU model: GraniteRapids is not correct, or your host CPU arch does not support this model\. Please correct your config and try again\./);
      assert.notStrictEqual(fs.readFileSync(conf, 'utf8'), before);
      const rb = scripted({ backup: (items) => items[0].label, rollback: 'Roll back' });
      ext.exports.setPrompts(rb.prompts);
      const back = await vscode.commands.executeCommand('novaLibvirtCpu.rollbackCpuMode', 'localhost');
      console.log(`      rollback ${back && back.outcome}: ${back && back.message}`);
      assert.deepStrictEqual(rb.asked, ['backup', 'rollback']);
      assert.match(rb.seen.rollback.detail, new RegExp(`Files: ${conf}`));
      assert.ok(['rolled-back', 'applied'].includes(back.outcome), back.message);
      assert.strictEqual(fs.readFileSync(conf, 'utf8'), before, 'restored byte for byte');
      const log = ext.exports.recentLog().slice(logFrom);
      console.log(`      output channel "Nova libvirt CPU":\n${log.map((l) => `        ${l}`).join('\n')}`);
      assert.ok(log.some((l) => /GraniteRapids is not correct/.test(l)), 'Nova\'s refusal is in the log');
      assertFoldedVerification(log, ext.exports.recentLog('trace').slice(traceFrom));
    });

    describe('Change domain CPU mode… on a real TCG guest of the node\'s libvirtd (qemu:///system)', () => {
      // Unique: the guests' /var/lib/libvirt/qemu and /var/log/libvirt/qemu are the machine's, shared with other nodes.
      const name = `nlc-e2e-${crypto.randomBytes(4).toString('hex')}`;
      const virsh = (...args) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60000 });
      before(async () => {
        const xml = path.join(os.tmpdir(), `${name}.xml`);
        // No OS: it ignores the ACPI shutdown, so the command's bounded wait ends in the destroy question.
        fs.writeFileSync(xml, `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <cpu mode='custom' match='exact'><model fallback='allow'>qemu64</model></cpu>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>\n`);
        execFileSync('virsh', ['-c', 'qemu:///system', 'define', xml]);
        fs.rmSync(xml);
        const started = virsh('start', name);
        assert.strictEqual(started.status, 0, started.stderr);
        await vscode.workspace.getConfiguration('novaLibvirtCpu').update('shutdownTimeoutSeconds', 3, vscode.ConfigurationTarget.Global);
      });
      after(() => { virsh('destroy', name); virsh('undefine', name); });

      it('pick the running guest, custom Nehalem: diff, define, shutdown times out, destroy asked, started; virsh dumpxml has the new CPU', async () => {
        const s = scripted({
          domain: (items) => { assert.ok(items.some((i) => i.label === name && i.description === 'running'), items.map((i) => i.label).join(', ')); return name; },
          'domain-mode': 'custom',
          'domain-model': (items) => { assert.ok(items.some((i) => i.label === 'Nehalem'), 'Nehalem is offered'); return 'Nehalem'; },
          define: 'Define', shutdown: 'Shut down and restart', destroy: 'Force off',
        });
        ext.exports.setPrompts(s.prompts);
        const logFrom = ext.exports.recentLog().length;
        const r = await vscode.commands.executeCommand('novaLibvirtCpu.changeDomainCpuMode');
        const log = ext.exports.recentLog().slice(logFrom);
        console.log(`      outcome ${r && r.outcome}: ${r && r.message}\n      output channel "Nova libvirt CPU":\n${log.map((l) => `        ${l}`).join('\n')}`);
        assert.deepStrictEqual(s.asked, ['domain', 'domain-mode', 'domain-model', 'define', 'shutdown', 'destroy']);
        assert.ok(s.seen.diff, 'a vscode.diff of the <cpu> change was open at the define question');
        assert.match(s.seen.diff.before, /<model fallback='allow'>qemu64<\/model>/);
        assert.match(s.seen.diff.after, /<model[^>]*>Nehalem<\/model>/);
        assert.match(s.seen.destroy.message, new RegExp(`${name} did not shut down within 3 s`));
        assert.strictEqual(r.outcome, 'applied', r.message);
        assert.strictEqual(virsh('domstate', name).stdout.trim(), 'running');
        for (const args of [['dumpxml', '--inactive', name], ['dumpxml', name]]) {
          const xml = virsh(...args).stdout;
          // The live definition of a running guest has libvirt's own fallback/check and the model's features spelled out.
          assert.match(xml, /<cpu mode='custom' match='exact'[^>]*>\s*<model fallback='[a-z]+'>Nehalem<\/model>/, `virsh ${args.join(' ')}:\n${xml}`);
        }
        assert.ok(log.some((l) => /localhost\$ \["virsh","-c","qemu:\/\/\/system","define","--validate",/.test(l)), 'validated on a copy');
        assert.ok(log.some((l) => new RegExp(`localhost: waiting for ${name} to shut down: \\d+ commands over [\\d.]+ s: virsh -c qemu:///system domstate -- ${name} ×\\d+ exit 0`).test(l)), 'the shutdown wait is one line');
      });
    });
  });
});
