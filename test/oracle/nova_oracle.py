#!/usr/bin/python3
"""Nova 26 (Debian python3-nova) as an oracle for the nova.conf tests.

Reads one JSON request on stdin and writes one JSON answer on stdout:
  {"mode": "values", "files": [text | [text, ...], ...], "options": [["libvirt", "cpu_mode"], ...] | "all"}
    -> [{"parse_error": str | None, "errors": {"group.name": "ValueError text"},
         "deprecated": ["group.name", ...], "unregistered": ["group.name", ...],
         "warnings": ["Deprecated: Option ...", ...], "multi": {"group.name": [value, ...]}}, ...]
       Each file (or set of files, read in order) is loaded with nova.conf.CONF(['--config-file',
       F, ...]) and every listed option ("all": every option nova.conf registers) is read; the
       ValueError text is what follows "is not valid: " in ConfigFileValueError, "deprecated" lists
       the options oslo.config logged a deprecation warning for and "warnings" those warnings' text;
       "multi" has the values read for each listed multi-valued option (MultiStrOpt) that has any.
  {"mode": "startup", "files": [text, ...], "cpu_map": dir | "model_names": [name, ...]}
    -> [{"value_error": str | None, "cpuset": str | None, "cpu": str | None}, ...]
       The two config-only start-up checks of the libvirt driver, run for real on a stub driver:
       _check_cpu_set_configuration() and _check_cpu_compatibility() (model names come from the
       cpu_map directory's x86 files; the host comparison itself is stubbed out).
  {"mode": "types", "cases": [[type spec, value], ...]}
    -> [{"ok": true} | {"error": "ValueError text"}, ...]  oslo_config.types called directly
  {"mode": "launch", "launches": [[arg, ...], ...], "options": [["libvirt", "virt_type"], ...]}
    -> [{"group.name": str | None}, ...]
       nova-compute's own loading per launch: nova.conf.CONF(args, project='nova',
       prog='nova-compute') with oslo.config's default files and dirs (the caller runs this with
       its test set mounted on /etc/nova and an empty HOME): each option's value, as str. (Not
       get_location's file: oslo.config names the last file with the option's *section*.)
  {"mode": "cpuset", "specs": [str, ...]}
    -> [{"cpus": [int, ...]} | {"error": str}, ...]  from nova.virt.hardware.parse_cpu_spec
Run with Debian's /usr/bin/python3 (the one that has nova).
"""
import json
import os
import sys
import tempfile
import warnings

warnings.simplefilter('ignore')
import logging  # noqa: E402
import re  # noqa: E402


class Recorder(logging.Handler):
    """Keeps oslo.config's deprecation warnings; nothing is printed."""
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


RECORDER = Recorder()
logging.getLogger().handlers = [RECORDER]
logging.getLogger().setLevel(logging.WARNING)
DEPRECATED = re.compile(r'Option "(\w+)" from group "(\w+)" is deprecated')

import nova.conf  # noqa: E402
from nova.virt import hardware  # noqa: E402
from oslo_config import cfg  # noqa: E402
from oslo_log.versionutils import DeprecatedConfig  # noqa: E402

CONF = nova.conf.CONF


def forget_deprecation_warnings():
    """oslo.config and oslo.log warn once per process; each file must be judged afresh."""
    from oslo_log import versionutils
    versionutils._deprecated_messages_sent.clear()
    for opts in [CONF._opts] + [g._opts for g in CONF._groups.values()]:
        for info in opts.values():
            info['opt']._logged_deprecation = False
    RECORDER.messages = []


def registered():
    """Every option nova.conf.CONF has registered, as [group, name] (what Nova reads)."""
    out = [['DEFAULT', name] for name, info in CONF._opts.items() if not isinstance(info['opt'], cfg.SubCommandOpt)]
    for gname, group in CONF._groups.items():
        out += [[gname, name] for name in group._opts]
    return out


def values(req):
    out = []
    options = registered() if req['options'] == 'all' else req['options']
    for member in req['files']:
        texts = member if isinstance(member, list) else [member]
        paths = []
        for text in texts:
            fd, path = tempfile.mkstemp(suffix='.conf')
            with os.fdopen(fd, 'w', encoding='utf-8', newline='') as f:
                f.write(text)
            paths.append(path)
        result = {'parse_error': None, 'errors': {}, 'deprecated': [], 'unregistered': [], 'warnings': [], 'multi': {}}
        forget_deprecation_warnings()
        try:
            CONF.reset()
            CONF([a for p in paths for a in ('--config-file', p)], project='nova', default_config_files=[])
        except cfg.ConfigFileParseError as e:
            result['parse_error'] = str(e)
        else:
            for group, name in options:
                try:
                    value = getattr(CONF, name) if group == 'DEFAULT' else getattr(CONF[group], name)
                    opt = CONF._get_opt_info(name, None if group == 'DEFAULT' else group)['opt']
                    if opt.multi and value:
                        result['multi'][group + '.' + name] = list(value)
                except cfg.ConfigFileValueError as e:
                    result['errors'][group + '.' + name] = str(e).split(' is not valid: ', 1)[1]
                except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
                    # Registered later by a library (castellan's [key_manager]...): not comparable here.
                    result['unregistered'].append(group + '.' + name)
                except (cfg.TemplateSubstitutionError, DeprecatedConfig):
                    # `$name` of no option; fatal_deprecations = true: not a value error.
                    result['unregistered'].append(group + '.' + name)
        finally:
            for path in paths:
                os.unlink(path)
        result['deprecated'] = sorted({g + '.' + n for m in RECORDER.messages for n, g in DEPRECATED.findall(m)})
        result['warnings'] = sorted({m for m in RECORDER.messages if m.startswith('Deprecated: ')})
        out.append(result)
    return out


def load(text):
    fd, path = tempfile.mkstemp(suffix='.conf')
    with os.fdopen(fd, 'w', encoding='utf-8', newline='') as f:
        f.write(text)
    try:
        CONF.reset()
        CONF(['--config-file', path], project='nova', default_config_files=[])
    finally:
        os.unlink(path)


def x86_model_names(cpu_map):
    import glob
    import re
    names = []
    for f in sorted(glob.glob(os.path.join(cpu_map, 'x86_*.xml'))):
        with open(f, encoding='utf-8') as fh:
            names += re.findall(r"<model name='([^']+)'>", fh.read())
    return names


def startup(req):
    from types import SimpleNamespace
    from nova.virt.libvirt.driver import LibvirtDriver
    names = req['model_names'] if 'model_names' in req else x86_model_names(req['cpu_map'])
    out = []
    for text in req['files']:
        result = {'value_error': None, 'cpuset': None, 'cpu': None}
        load(text)
        stub = SimpleNamespace(cpu_models_mapping={}, _host=SimpleNamespace(get_cpu_model_names=lambda: names))
        stub._get_cpu_info = lambda: {'arch': 'x86_64'}
        stub._get_cpu_model_mapping = lambda m: LibvirtDriver._get_cpu_model_mapping(stub, m)
        stub._prepare_cpu_flag = lambda f: LibvirtDriver._prepare_cpu_flag(stub, f)
        stub._compare_cpu = lambda *a: None
        for key, check in (('cpuset', LibvirtDriver._check_cpu_set_configuration),
                           ('cpu', LibvirtDriver._check_cpu_compatibility)):
            try:
                check(stub)
            except cfg.ConfigFileValueError as e:
                result['value_error'] = str(e).split(' is not valid: ', 1)[1]
                break
            except Exception as e:
                result[key] = str(e)
        out.append(result)
    return out


def cpusets(req):
    out = []
    for spec in req['specs']:
        try:
            out.append({'cpus': sorted(hardware.parse_cpu_spec(spec))})
        except Exception as e:  # nova.exception.Invalid
            out.append({'error': str(e)})
    return out


def oslo_type(spec):
    """An oslo_config.types instance from our compact spec (server/src/knowledge/nova/osloTypes.ts)."""
    from oslo_config import types
    k = spec['k']
    if k == 'str':
        return types.String(choices=spec.get('c'), regex=spec.get('re'), ignore_case=bool(spec.get('ic')),
                            quotes=bool(spec.get('q')), max_length=spec.get('ml'))
    if k == 'bool':
        return types.Boolean()
    if k in ('int', 'port'):
        cls = types.Port if k == 'port' else types.Integer
        return cls(min=spec.get('min'), max=spec.get('max'), choices=spec.get('c'))
    if k == 'float':
        return types.Float(min=spec.get('min'), max=spec.get('max'))
    if k == 'list':
        return types.List(oslo_type(spec['it']), bounds=bool(spec.get('b')))
    if k == 'dict':
        return types.Dict(oslo_type(spec['vt']), bounds=bool(spec.get('b')))
    if k in ('ip', 'hostaddress', 'hostdomain'):
        cls = {'ip': types.IPAddress, 'hostaddress': types.HostAddress, 'hostdomain': types.HostDomain}[k]
        return cls(version=spec.get('v'))
    if k == 'hostname':
        return types.Hostname()
    if k == 'uri':
        return types.URI(max_length=spec.get('ml'), schemes=spec.get('sc'))
    raise ValueError(k)


def type_checks(req):
    """[[spec, value], ...] -> [{"ok": true} | {"error": str}, ...]: oslo.config's types called directly."""
    out = []
    built = {}
    for spec, value in req['cases']:
        key = json.dumps(spec, sort_keys=True)
        t = built.get(key) or built.setdefault(key, oslo_type(spec))
        try:
            t(value)
            out.append({'ok': True})
        except ValueError as e:
            out.append({'error': str(e)})
    return out


def launches(req):
    out = []
    for args in req['launches']:
        CONF.reset()
        CONF(args, project='nova', prog='nova-compute')
        result = {}
        for group, name in req['options']:
            g = None if group == 'DEFAULT' else group
            value = getattr(CONF, name) if g is None else getattr(CONF[g], name)
            result[group + '.' + name] = None if value is None else str(value)
        out.append(result)
    return out


def main():
    req = json.load(sys.stdin)
    answer = {'values': values, 'startup': startup, 'cpuset': cpusets, 'types': type_checks, 'launch': launches}[req['mode']](req)
    json.dump(answer, sys.stdout)


if __name__ == '__main__':
    main()
