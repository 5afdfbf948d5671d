#!/usr/bin/python3
"""Nova 26 (Debian python3-nova) reading planned config sets, for test/oracle/ops.nova.test.ts.

Reads {"sets": [[text, ...], ...], "model_names": [...]} on stdin; each set is loaded as
nova-compute loads it (one --config-file per file, in order) and answers
{"values": {"cpu_mode": ..., "cpu_models": [...], "cpu_model_extra_flags": [...], "virt_type": ...}
           | null, "value_error": str | None, "cpu": str | None, "cpuset": str | None}
where "cpu"/"cpuset" are what the real _check_cpu_compatibility / _check_cpu_set_configuration
raise on the stubbed x86_64 host of nova_oracle.py (whose start-up runner is reused here).
Run with Debian's /usr/bin/python3.
"""
import json
import os
import sys
import tempfile

import nova_oracle  # same directory: CONF, the stubbed start-up checks
from oslo_config import cfg

CONF = nova_oracle.CONF


def load_set(texts):
    tmp = tempfile.mkdtemp()
    paths = []
    for i, text in enumerate(texts):
        path = os.path.join(tmp, '%d.conf' % i)
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(text)
        paths.append(path)
    try:
        CONF.reset()
        args = []
        for p in paths:
            args += ['--config-file', p]
        CONF(args, project='nova', default_config_files=[])
    finally:
        for p in paths:
            os.unlink(p)
        os.rmdir(tmp)


def values(texts):
    load_set(texts)
    lv = CONF.libvirt
    return {'cpu_mode': lv.cpu_mode, 'cpu_models': list(lv.cpu_models), 'virt_type': lv.virt_type,
            'cpu_model_extra_flags': list(lv.cpu_model_extra_flags)}


def main():
    req = json.load(sys.stdin)
    sets = req['sets']
    unparsable = {}
    for i, texts in enumerate(sets):
        try:
            load_set(texts)
        except cfg.ConfigFileParseError as e:
            unparsable[i] = str(e)
    # nova_oracle.startup loads each "file" with load(); hand it whole sets instead.
    nova_oracle.load = lambda index: load_set(sets[index])
    parsable = [i for i in range(len(sets)) if i not in unparsable]
    checks = dict(zip(parsable, nova_oracle.startup({'files': parsable, 'model_names': req['model_names']})))
    out = []
    for i, texts in enumerate(sets):
        if i in unparsable:
            out.append({'values': None, 'value_error': unparsable[i], 'cpu': None, 'cpuset': None})
            continue
        result = dict(checks[i])
        try:
            result['values'] = values(texts)
        except cfg.ConfigFileValueError as e:
            result['values'] = None
            result['value_error'] = result['value_error'] or str(e)
        out.append(result)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
