#!/usr/bin/python3
"""Nova 26 (Debian python3-nova) as an oracle for the nova.conf tests.

Reads one JSON request on stdin and writes one JSON answer on stdout:
  {"mode": "values", "files": [text, ...], "options": [["libvirt", "cpu_mode"], ...]}
    -> [{"parse_error": str | None, "errors": {"group.name": "ValueError text"}}, ...]
       Each file is loaded with nova.conf.CONF(['--config-file', F]) and every listed option is
       read; the ValueError text is what follows "is not valid: " in ConfigFileValueError.
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
logging.disable(logging.CRITICAL)

import nova.conf  # noqa: E402
from nova.virt import hardware  # noqa: E402
from oslo_config import cfg  # noqa: E402

CONF = nova.conf.CONF


def values(req):
    out = []
    for text in req['files']:
        fd, path = tempfile.mkstemp(suffix='.conf')
        with os.fdopen(fd, 'w', encoding='utf-8', newline='') as f:
            f.write(text)
        result = {'parse_error': None, 'errors': {}}
        try:
            CONF.reset()
            CONF(['--config-file', path], project='nova', default_config_files=[])
        except cfg.ConfigFileParseError as e:
            result['parse_error'] = str(e)
        else:
            for group, name in req['options']:
                try:
                    getattr(CONF, name) if group == 'DEFAULT' else getattr(CONF[group], name)
                except cfg.ConfigFileValueError as e:
                    result['errors'][group + '.' + name] = str(e).split(' is not valid: ', 1)[1]
                except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
                    pass
        finally:
            os.unlink(path)
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


def main():
    req = json.load(sys.stdin)
    answer = values(req) if req['mode'] == 'values' else cpusets(req)
    json.dump(answer, sys.stdout)


if __name__ == '__main__':
    main()
