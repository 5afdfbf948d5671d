#!/usr/bin/python3
"""Generates server/data/nova-zed.json: every option Nova 26 (Zed) reads from nova.conf, typed
exactly as oslo.config defines it (choices, regex, max_length, bounds, list item types, URI
schemes, IP versions, multi-valued), with its deprecated names and removal notes.

Why introspection and not data/nova-sample/nova-opts-zed.yaml alone: the generator's YAML says
"list value" but not the item type (`[DEFAULT] enabled_apis` is a List of String(choices=...)),
nor regexes, URI schemes or IP versions. The YAML stays the cross-check (test/unit/novaconf.zed).

Sources, all from Debian's python3-nova 2:26.2.2 and the libraries it depends on:
- the oslo.config namespaces Nova's own sample config is generated from
  (etc/nova/nova-config-generator.conf in Nova 26), through oslo_config.generator;
- the privsep contexts' groups (registered at run time with oslo.privsep's options);
- every keystoneauth plugin's options, in each group that loads an auth plugin (has auth_type).

Run with Debian's /usr/bin/python3:  /usr/bin/python3 scripts/gen-nova-zed.py
"""
import json
import os
import re
import sys
import warnings

warnings.simplefilter('ignore')

from oslo_config import cfg, generator, types  # noqa: E402

# etc/nova/nova-config-generator.conf (Nova 26) lists these namespaces.
NAMESPACES = [
    'nova.conf', 'keystonemiddleware.auth_token', 'oslo.log', 'oslo.messaging', 'oslo.policy',
    'oslo.privsep', 'oslo.service.periodic_task', 'oslo.service.service', 'oslo.db',
    'oslo.db.concurrency', 'oslo.cache', 'oslo.middleware', 'oslo.concurrency', 'oslo.reports',
    'oslo.versionedobjects', 'os_vif', 'os_brick', 'castellan.config', 'oslo.limit',
]
# oslo.privsep registers its options again under each context's cfg_section.
PRIVSEP_GROUPS = ['nova_sys_admin', 'privsep_osbrick', 'vif_plug_ovs_privileged', 'vif_plug_linux_bridge_privileged']


def pattern(regex):
    """A Python regex as a JavaScript one; refuses what the two read differently."""
    p = regex if isinstance(regex, str) else regex.pattern
    if re.search(r'\(\?P<|\(\?[aiLmsux]|\\[AZ]', p):
        raise SystemExit(f'regex {p!r} needs a translation to JavaScript')
    return p


def spec(t):
    """A compact, JSON-able description of an oslo.config type instance."""
    if isinstance(t, types.MultiString):
        return {'k': 'multistr'}
    if isinstance(t, types.String):
        out = {'k': 'str'}
        if t.choices is not None:
            out['c'] = [None if c is None else str(c) for c in t.choices]
        if t.regex is not None:
            out['re'] = pattern(t.regex)
        if t.ignore_case:
            out['ic'] = 1
        if t.quotes:
            out['q'] = 1
        if t.max_length:
            out['ml'] = t.max_length
        return out
    if isinstance(t, types.Boolean):
        return {'k': 'bool'}
    if isinstance(t, types.Number):
        kind = 'port' if isinstance(t, types.Port) else 'int' if isinstance(t, types.Integer) else 'float'
        out = {'k': kind}
        if t.min is not None:
            out['min'] = t.min
        if t.max is not None:
            out['max'] = t.max
        if t.choices is not None:
            out['c'] = list(t.choices)
        return out
    if isinstance(t, types.List):
        out = {'k': 'list', 'it': spec(t.item_type)}
        if t.bounds:
            out['b'] = 1
        return out
    if isinstance(t, types.Dict):
        out = {'k': 'dict', 'vt': spec(t.value_type)}
        if t.bounds:
            out['b'] = 1
        return out
    if isinstance(t, types.HostDomain):
        return version({'k': 'hostdomain'}, t.ip_address)
    if isinstance(t, types.HostAddress):
        return version({'k': 'hostaddress'}, t.ip_address)
    if isinstance(t, types.Hostname):
        return {'k': 'hostname'}
    if isinstance(t, types.IPAddress):
        return version({'k': 'ip'}, t)
    if isinstance(t, types.URI):
        out = {'k': 'uri'}
        if t.schemes:
            out['sc'] = list(t.schemes)
        if t.max_length:
            out['ml'] = t.max_length
        return out
    if isinstance(t, types.Range):
        raise SystemExit('a Range option: add it to values.ts first')
    if t is str:  # a plain Opt(type=str): any text
        return {'k': 'str'}
    if not isinstance(t, types.ConfigType) and callable(t):
        return {'k': 'other'}  # a library's own converter (privsep's CapNameOrInt): not judged
    raise SystemExit(f'unknown oslo.config type {t!r}')


def version(out, ip):
    checker = ip.version_checker.__name__
    if checker == '_check_ipv4':
        out['v'] = 4
    elif checker == '_check_ipv6':
        out['v'] = 6
    return out


def describe(opt):
    out = {'t': spec(opt.type)}
    if opt.multi:
        out['multi'] = 1
    deprecated = []
    for d in opt.deprecated_opts:
        if d.name or d.group:
            deprecated.append([d.group, d.name])
    if deprecated:
        out['dep'] = deprecated
    if opt.deprecated_for_removal:
        out['dfr'] = opt.deprecated_reason or ''
        if opt.deprecated_since:
            out['ds'] = str(opt.deprecated_since)
    return out


def group_name(group):
    name = group.name if isinstance(group, cfg.OptGroup) else (group or 'DEFAULT')
    return 'DEFAULT' if name == 'DEFAULT' else name.lower()


def main():
    groups = {}
    sources = {}

    def add(group, opt, namespace):
        g = groups.setdefault(group, {})
        if opt.dest in g:
            return
        g[opt.dest] = describe(opt)
        sources.setdefault(group, set()).add(namespace)

    for namespace, listing in generator._list_opts(NAMESPACES):
        for group, opts in listing:
            for opt in opts:
                add(group_name(group), opt, namespace)

    from oslo_privsep import priv_context
    for g in PRIVSEP_GROUPS:
        for opt in priv_context.OPTS:
            add(g, opt, 'oslo.privsep')

    from keystoneauth1 import loading as ks_loading
    plugin_opts = []
    for name in sorted(ks_loading.get_available_plugin_names()):
        try:
            plugin_opts += ks_loading.get_plugin_options(name)
        except Exception:  # a plugin whose optional dependency is missing
            continue
    for g, opts in groups.items():
        if 'auth_type' in opts:
            for opt in plugin_opts:
                add(g, opt._to_oslo_opt(), 'keystoneauth1')

    out = {
        'generatedFrom': 'python3-nova 26 (Zed) via oslo_config.generator: ' + ', '.join(NAMESPACES)
        + '; privsep groups; keystoneauth1 plugin options',
        'groups': {g: groups[g] for g in sorted(groups, key=lambda g: (g != 'DEFAULT', g))},
    }
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'server', 'data', 'nova-zed.json')
    with open(target, 'w', encoding='utf-8') as f:
        json.dump(out, f, separators=(',', ':'), sort_keys=False)
        f.write('\n')
    n = sum(len(o) for o in groups.values())
    print(f'wrote {os.path.normpath(target)}: {n} options in {len(groups)} groups', file=sys.stderr)


if __name__ == '__main__':
    main()
