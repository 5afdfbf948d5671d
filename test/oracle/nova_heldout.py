#!/usr/bin/python3
"""Nova 26 (Debian python3-nova) judges whole nova.conf files the way nova-compute start-up does.

Reads {"files": [path, ...], "arch": {path: arch}} on stdin, writes one verdict per file:
  {"parse_error": str|None, "value_errors": {"group.name": text}, "startup": {"exc": cls, "msg": str}|None,
   "warnings": [the WARNING lines logged meanwhile]}
Value errors come from reading every registered option (oslo.config converts values lazily); the
start-up verdict from running nova-compute's start for real (the libvirt driver's vGPU-type reading,
ComputeManager.init_host and LibvirtDriver.init_host) on a driver whose host-facing parts are
stubbed out: the host is an x86_64 (or the given arch) box with libvirt's cpu_map models, new
enough libvirt/QEMU, swtpm installed, and a CPU that every configured model fits. The host
comparison (_compare_cpu) runs for real against a libvirt stand-in that, like libvirt, rejects a
feature name its cpu_map does not define: that failure follows from the config on any host.
Run with Debian's /usr/bin/python3 (the one that has nova).
"""
import glob
import json
import os
import re
import sys
import warnings
from types import SimpleNamespace
from unittest import mock

warnings.simplefilter('ignore')
import logging  # noqa: E402


class Warnings(logging.Handler):
    """The WARNING lines nova-compute logs while it reads the config and starts."""
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines = []

    def emit(self, record):
        if record.levelno == logging.WARNING:  # errors come with the exception
            self.lines.append(record.getMessage())


WARNINGS = Warnings()
logging.getLogger().addHandler(WARNINGS)
logging.getLogger().setLevel(logging.WARNING)

import nova.conf  # noqa: E402
from oslo_config import cfg  # noqa: E402
from oslo_log import versionutils  # noqa: E402

CONF = nova.conf.CONF
# The shared reference data beside the checkout (../shared), as test/support/ops.ts finds it.
SHARED = os.environ.get('SHARED_DIR', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared'))
CPU_MAP = os.environ.get('NOVA_CPU_MAP', os.path.join(SHARED, 'data', 'cpu_map'))


def model_names(arch):
    """Model names libvirt's getCPUModelNames(arch) would list, from the cpu_map files."""
    prefix = {'x86_64': 'x86_', 'i686': 'x86_', 'ppc64': 'ppc64_', 'ppc64le': 'ppc64_', 'ppc': 'ppc64_'}.get(arch)
    names = []
    for f in sorted(glob.glob(os.path.join(CPU_MAP, (prefix or 'none_') + '*.xml'))):
        with open(f, encoding='utf-8') as fh:
            names += re.findall(r"<model name='([^']+)'>", fh.read())
    return names


def feature_names(arch):
    prefix = {'x86_64': 'x86_', 'i686': 'x86_', 'aarch64': 'arm_'}.get(arch, 'none_')
    names = set()
    for f in glob.glob(os.path.join(CPU_MAP, prefix + 'features.xml')):
        with open(f, encoding='utf-8') as fh:
            names.update(re.findall(r"<feature name='([^']+)'>", fh.read()))
    return names


class libvirtError(Exception):
    def get_error_code(self):
        return 1  # VIR_ERR_INTERNAL_ERROR


# What the driver needs of the python-libvirt module, which is not installed here.
FAKE_LIBVIRT = SimpleNamespace(libvirtError=libvirtError, VIR_ERR_NO_SUPPORT=3)


def compare_cpu(features):
    """libvirt's compareCPU on a host that has every feature it knows: unknown names are errors."""
    def compare(xml, flags=0):
        for name in re.findall(r"<feature [^>]*name=(?:'([^']*)'|\"([^\"]*)\")", xml):
            name = name[0] or name[1]
            if not name:
                raise libvirtError('XML error: Invalid CPU feature name')
            if name not in features:
                raise libvirtError(f"internal error: Unknown CPU feature {name}")
        return 1  # VIR_CPU_COMPARE_IDENTICAL
    return compare


# Groups registered at import; nova-compute's start registers more ([mdev_*], [neutron_physnet_*])
# from the config it reads, and those must not leak into the next file's verdict.
STATIC_GROUPS = set(CONF._groups)


def all_opts():
    for info in list(CONF._opts.values()) + [i for g in CONF._groups.values() for i in g._opts.values()]:
        yield info['opt']


def load(path):
    for group in set(CONF._groups) - STATIC_GROUPS:
        del CONF._groups[group]
    # Deprecations are logged once per process: each file is a fresh start.
    versionutils._deprecated_messages_sent.clear()
    for opt in all_opts():
        opt._logged_deprecation = False
    CONF.clear()
    CONF(['--config-file', path], project='nova', default_config_files=[])


def value_errors():
    """Every registered option read once, as start-up code paths would."""
    errors = {}
    for group, opts in [('DEFAULT', CONF._opts)] + [(g, CONF._groups[g]._opts) for g in sorted(CONF._groups)]:
        for name in sorted(opts):
            try:
                getattr(CONF, name) if group == 'DEFAULT' else getattr(CONF[group], name)
            except cfg.ConfigFileValueError as e:
                errors[group + '.' + name] = str(e).split(' is not valid: ', 1)[1]
            except Exception:  # options needing other registrations; not about values
                pass
    return errors


def stub_driver(arch):
    from nova.virt.libvirt.driver import LibvirtDriver
    drv = LibvirtDriver.__new__(LibvirtDriver)
    names = model_names(arch)
    # On AArch64, _compare_cpu compares the host CPU with itself.
    caps = SimpleNamespace(host=SimpleNamespace(cpu=SimpleNamespace(arch=arch, to_xml=lambda: '<cpu/>')))
    drv._host = SimpleNamespace(
        initialize=lambda: None, has_min_version=lambda *a, **k: True, get_capabilities=lambda: caps,
        get_cpu_model_names=lambda: names, supports_secure_boot=False, supports_remote_managed_ports=False,
        compare_cpu=compare_cpu(feature_names(arch)))
    drv.capabilities = {}
    drv.cpu_models_mapping = {}
    noop = lambda *a, **k: None  # noqa: E731
    for m in ('_update_host_specific_capabilities', '_do_quality_warnings', '_parse_migration_flags',
              '_get_supported_perf_events', '_check_my_ip', '_recreate_assigned_mediated_devices',
              '_register_all_undefined_instance_details', '_uri'):
        setattr(drv, m, noop)
    drv._get_cpu_info = lambda: {'arch': arch}
    return drv


class DriverStarted(Exception):
    """The compute manager went past driver.init_host: what follows needs the database."""


def startup(arch):
    """nova-compute's start in order: the driver's constructor (vGPU types), then
    ComputeManager.init_host (PCI device_spec, disk limits) up to and including the driver's
    init_host."""
    from nova.compute.manager import ComputeManager
    from nova.virt.libvirt.driver import LibvirtDriver
    drv = stub_driver(arch)
    drv.pgpu_type_mapping, drv.mdev_class_mapping, drv.mdev_classes = {}, {}, set()
    driver_init_host = drv.init_host

    def init_host(host):
        driver_init_host(host)
        raise DriverStarted()
    drv.init_host = init_host
    manager = SimpleNamespace(driver=drv, host='heldout')
    with mock.patch('nova.virt.libvirt.driver.libvirt', FAKE_LIBVIRT), \
            mock.patch('nova.virt.libvirt.driver.guestfs.force_tcg'), \
            mock.patch('shutil.which', return_value='/usr/bin/swtpm'), \
            mock.patch('pwd.getpwnam'), mock.patch('grp.getgrnam'):
        try:
            LibvirtDriver._get_supported_vgpu_types(drv)
            ComputeManager.init_host(manager)
        except DriverStarted:
            pass
        except cfg.ConfigFileValueError as e:
            return {'exc': 'ConfigFileValueError', 'msg': str(e).split(' is not valid: ', 1)[1]}
        except Exception as e:
            return {'exc': type(e).__name__, 'msg': str(e)}
    return None


def verdict(path, arch='x86_64'):
    out = {'parse_error': None, 'value_errors': {}, 'startup': None, 'warnings': []}
    WARNINGS.lines = []
    try:
        load(path)
    except cfg.ConfigFileParseError as e:
        out['parse_error'] = str(e)
        return out
    out['value_errors'] = value_errors()
    out['startup'] = startup(arch)
    # Each once, in order: reading an option again logs its deprecation again.
    out['warnings'] = list(dict.fromkeys(WARNINGS.lines))
    return out


def main():
    req = json.load(sys.stdin)
    arch = req.get('arch', {})
    json.dump([verdict(p, arch.get(p, 'x86_64')) for p in req['files']], sys.stdout)


if __name__ == '__main__':
    main()
