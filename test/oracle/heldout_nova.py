#!/usr/bin/python3
"""Builds test/fixtures/novaconf-heldout/ from Nova's own unit tests, with Nova's verdicts.

  /usr/bin/python3 test/oracle/heldout_nova.py [--master-tests DIR]

Each unit or functional test that sets options with self.flags(...) becomes a nova.conf (setUp
flags included; loops over literals, @ddt.data and helper methods called with literals followed,
one config per loop iteration); every string a test feeds to hardware.parse_cpu_spec() becomes one
nova.conf per cpuset option. The expected verdict is not read from the test: it comes from running Nova
(test/oracle/nova_heldout.py) on the generated file. What the test itself asserts, and which host
calls it mocks, are kept in the manifest, so host-dependent cases can be told apart.
Sources: Debian's python3-nova (Zed) tests, plus openstack/nova master tests when --master-tests
points at a checkout's nova/tests (same layout).
"""
import argparse
import ast
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import nova_heldout  # noqa: E402  (Nova's verdicts; also loads nova.conf)
from oslo_config import cfg  # noqa: E402

OUT = os.path.join(ROOT, 'test', 'fixtures', 'novaconf-heldout')
ZED_TESTS = '/usr/lib/python3/dist-packages/nova/tests'
# Every unit and functional test: any config Nova's tests run with must not get a false error.
TEST_GLOBS = ['unit/**/test_*.py', 'functional/**/test_*.py']
CPUSET_OPTS = [('DEFAULT', 'vcpu_pin_set'), ('compute', 'cpu_shared_set'), ('compute', 'cpu_dedicated_set')]
# Host calls whose mocked result decides a check (the config alone cannot).
HOST_MOCKS = ('compareCPU', 'compareHypervisorCPU', 'get_capabilities', 'has_min_version', 'getLibVersion',
              'getVersion', 'which', 'getpwnam', 'getgrnam', '_get_cpu_info', 'get_online_cpus', 'get_cpu_model_names')
ARCHES = {'AARCH64': 'aarch64', 'PPC64LE': 'ppc64le', 'PPC64': 'ppc64', 'S390X': 's390x'}


class Lit(Exception):
    """Not a value we can know without running the test."""


def literal(node):
    try:
        return ast.literal_eval(node)
    except Exception:
        raise Lit()


def is_self_call(node, *names):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names
            and isinstance(node.func.value, ast.Name) and node.func.value.id == 'self')


MAX_VARIANTS = 8


def value_of(node, env):
    """A literal, or a name bound to one (loop variable, helper or ddt parameter)."""
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [value_of(e, env) for e in node.elts]
    return literal(node)


def flags_call(call, env):
    """[(group, key, value)] of one self.flags(...) call; keys whose value is not known are left out."""
    kws = [k for k in call.keywords if k.arg]
    group = 'DEFAULT'
    for k in kws:
        if k.arg == 'group':
            try:
                group = value_of(k.value, env) or 'DEFAULT'
            except Lit:
                return []
    out = []
    for k in kws:
        if k.arg != 'group':
            try:
                out.append((group, k.arg, value_of(k.value, env)))
            except Lit:
                pass
    return out


def bind(target, value, env):
    if isinstance(target, ast.Name):
        return dict(env, **{target.id: value})
    if isinstance(target, ast.Tuple) and isinstance(value, (list, tuple)) and len(value) == len(target.elts):
        for t, v in zip(target.elts, value):
            env = bind(t, v, env)
            if env is None:
                return None
        return env
    return None


def bind_call(fn, call, env):
    """The helper's parameters bound to the literal arguments of this call (defaults otherwise)."""
    params = [a.arg for a in fn.args.args[1:]]
    out = {}
    for name, default in zip(params[len(params) - len(fn.args.defaults):], fn.args.defaults):
        try:
            out[name] = literal(default)
        except Lit:
            pass
    for name, arg in zip(params, call.args):
        try:
            out[name] = value_of(arg, env)
        except Lit:
            out.pop(name, None)
    for k in call.keywords:
        if k.arg in params:
            try:
                out[k.arg] = value_of(k.value, env)
            except Lit:
                out.pop(k.arg, None)
    return out


def product(variants, more):
    return [v + m for v in variants for m in more][:MAX_VARIANTS]


def walk(stmts, env, methods, depth=0):
    """The option settings along stmts, in order: a list of variants, one per loop iteration."""
    variants = [[]]
    for st in stmts:
        if isinstance(st, ast.For):
            try:
                items = value_of(st.iter, env)
            except Lit:
                items = None
            if isinstance(items, list):
                per = [v for item in items if (e := bind(st.target, item, env)) is not None
                       for v in walk(st.body, e, methods, depth)]
                variants = product(variants, per or [[]])
                continue
        bodies = [getattr(st, f, []) for f in ('body', 'orelse', 'finalbody')] + [h.body for h in getattr(st, 'handlers', [])]
        if isinstance(st, (ast.For, ast.While, ast.With, ast.If, ast.Try)):
            variants = product(variants, walk([x for b in bodies for x in b], env, methods, depth))
            continue
        calls = sorted((n for n in ast.walk(st) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
        for call in calls:
            if is_self_call(call, 'flags'):
                variants = [v + flags_call(call, env) for v in variants]
            elif (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                  and call.func.value.id == 'self' and call.func.attr in methods and depth < 2):
                helper = methods[call.func.attr]
                variants = product(variants, walk(helper.body, bind_call(helper, call, env), methods, depth + 1))
    return variants


def ddt_envs(fn):
    """One binding per @ddt.data value (unpacked with @ddt.unpack); [{}] without ddt."""
    data = [d for d in fn.decorator_list if isinstance(d, ast.Call) and ast.unparse(d.func).endswith('ddt.data')]
    if not data:
        return [{}]
    unpack = any(ast.unparse(d).endswith('unpack') for d in fn.decorator_list)
    params = [a.arg for a in fn.args.args[1:]]
    envs = []
    for node in data[0].args:
        try:
            v = literal(node)
        except Lit:
            continue
        if unpack and isinstance(v, dict):
            envs.append(v)
        elif unpack and isinstance(v, (list, tuple)):
            envs.append(dict(zip(params, v)))
        elif params:
            envs.append({params[0]: v})
    return envs or [{}]


def expects_of(fn):
    names = []
    for n in ast.walk(fn):
        if is_self_call(n, 'assertRaises', 'assertRaisesRegex') and n.args:
            names.append(ast.unparse(n.args[0]).split('.')[-1])
    return sorted(set(names))


def cpu_specs(fn):
    """Literal strings given to parse_cpu_spec: called directly or through assertRaises."""
    for n in ast.walk(fn):
        if not isinstance(n, ast.Call):
            continue
        args = n.args
        if is_self_call(n, 'assertRaises', 'assertRaisesRegex') and len(args) >= 3:
            func, args = args[1], args[2:]
        else:
            func = n.func
        if (isinstance(func, ast.Attribute) and func.attr == 'parse_cpu_spec' and args
                and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)):
            yield args[0].value


def mocks_of(fn):
    text = ' '.join(ast.unparse(d) for d in fn.decorator_list) + ' ' + ast.unparse(fn)
    return sorted({m for m in HOST_MOCKS if m in text})


def arch_of(fn):
    text = ast.unparse(fn)
    for k, v in ARCHES.items():
        if 'Architecture.' + k in text:
            return v
    return 'x86_64'


def cases_from(path, label):
    tree = ast.parse(open(path, encoding='utf-8').read())
    classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}

    def methods_of(cls, seen=()):
        """Methods visible on cls (bases in this file first, so overrides win)."""
        out = {}
        for b in cls.bases:
            if isinstance(b, ast.Name) and b.id in classes and b.id not in seen:
                out.update(methods_of(classes[b.id], seen + (cls.name,)))
        out.update({f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)})
        return out

    for cls in classes.values():
        methods = methods_of(cls)
        base = walk(methods['setUp'].body, {}, methods)[0] if 'setUp' in methods else []
        for fn in cls.body:
            if not (isinstance(fn, ast.FunctionDef) and fn.name.startswith('test')):
                continue
            src = f"{label}:{path.split('/nova/tests/', 1)[-1]}::{cls.name}::{fn.name}"
            meta = {'expects': expects_of(fn), 'mocks': mocks_of(fn), 'arch': arch_of(fn)}
            for env in ddt_envs(fn):
                for flags in walk(fn.body, env, methods):
                    if flags:
                        yield dict(meta, source=src, flags=base + flags)
            # parse_cpu_spec('...') inputs: one config per cpuset option.
            for spec in cpu_specs(fn):
                for group, key in CPUSET_OPTS:
                    yield dict(meta, source=src + '(parse_cpu_spec)', flags=[(group, key, spec)], mocks=[], arch='x86_64')


def opt_of(group, key):
    try:
        return nova_heldout.CONF._get_opt_info(key, None if group == 'DEFAULT' else group)['opt']
    except Exception:
        return None


def ini_value(v):
    if isinstance(v, bool):
        return 'True' if v else 'False'
    if isinstance(v, dict):
        return ','.join(f'{k}:{ini_value(x)}' for k, x in v.items())
    if isinstance(v, (list, tuple, set)):
        return ','.join(ini_value(x) for x in v)
    s = str(v)
    # oslo.config strips values and then one pair of quotes: quote to keep edge spaces.
    return f'"{s}"' if s != s.strip() else s


def conf_text(flags):
    """flags in order (later wins) -> ini text; None means unset, so the key is left out."""
    final = {}
    for group, key, value in flags:
        final[(group, key)] = value
    groups = {}
    for (group, key), value in final.items():
        if value is None or (isinstance(value, str) and '\n' in value):
            continue
        opt = opt_of(group, key)
        if isinstance(opt, cfg.MultiOpt) and isinstance(value, (list, tuple)):
            lines = [f'{key} = {ini_value(x)}' for x in value] or [f'{key} =']
        else:
            lines = [f'{key} = {ini_value(value)}']
        groups.setdefault(group, []).extend(lines)
    if not groups:
        return None
    order = sorted(groups, key=lambda g: (g != 'DEFAULT', g))
    return '\n'.join(f'[{g}]\n' + '\n'.join(groups[g]) + '\n' for g in order)


def expected(v):
    """(verdict, exception, message): the first thing that stops nova-compute."""
    if v['parse_error']:
        return 'error', 'ConfigFileParseError', v['parse_error']
    if v['startup']:
        return 'error', v['startup']['exc'], v['startup']['msg']
    if v['value_errors']:
        k = sorted(v['value_errors'])[0]
        return 'error', 'ConfigFileValueError', v['value_errors'][k]
    return 'ok', '', ''


def case_name(source, taken):
    """zed-test_driver-test__check_cpu_compatibility_none_mode(-2...): stable across regenerations."""
    label, rest = source.split(':', 1)
    path, _cls, test = rest.split('::')
    base = f"{label}-{os.path.basename(path)[:-3].removeprefix('test_')}-{test.replace('(parse_cpu_spec)', '-spec')}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f'{base}-{n}'
    taken.add(name)
    return name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--master-tests', help="openstack/nova master's nova/tests directory")
    args = ap.parse_args()
    roots = [('zed', ZED_TESTS)] + ([('master', args.master_tests)] if args.master_tests else [])
    by_text = {}
    for label, root in roots:
        for p in sorted({p for g in TEST_GLOBS for p in glob.glob(os.path.join(root, g), recursive=True)}):
            for c in cases_from(p, label):
                text = conf_text(c['flags'])
                if text is None:
                    continue
                key = (text, c['arch'])
                if key in by_text:
                    by_text[key]['also'] += 1
                else:
                    by_text[key] = dict(c, text=text, also=0)
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith('.conf'):
            os.unlink(os.path.join(OUT, f))
    cases = list(by_text.values())
    taken = set()
    for c in cases:
        c['name'] = case_name(c['source'], taken)
        with open(os.path.join(OUT, c['name'] + '.conf'), 'w', encoding='utf-8') as fh:
            fh.write(f"# from {c['source']}\n" + c['text'])
    files = [os.path.join(OUT, c['name'] + '.conf') for c in cases]
    # Nova runs in its own process: its global state (CONF, mocks) stays out of this one.
    req = json.dumps({'files': files, 'arch': {f: c['arch'] for f, c in zip(files, cases)}})
    run = subprocess.run([sys.executable, os.path.join(HERE, 'nova_heldout.py')],
                         input=req, capture_output=True, text=True, check=True)
    verdicts = json.loads(run.stdout)
    esc = lambda s: s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n')  # noqa: E731
    with open(os.path.join(OUT, 'manifest.tsv'), 'w', encoding='utf-8') as fh:
        fh.write('case\tsource\tarch\texpected\texception\tmessage\ttest_expects\thost_mocks\tduplicates\n')
        for c, v in zip(cases, verdicts):
            verdict, exc, msg = expected(v)
            fh.write('\t'.join([c['name'], c['source'], c['arch'], verdict, exc, esc(msg), ','.join(c['expects']),
                                ','.join(c['mocks']), str(c['also'])]) + '\n')
    with open(os.path.join(OUT, 'verdicts.json'), 'w', encoding='utf-8') as fh:
        json.dump({c['name']: v for c, v in zip(cases, verdicts)}, fh, indent=1, sort_keys=True)
    print(f'{len(cases)} cases, {sum(expected(v)[0] == "error" for v in verdicts)} rejected by Nova', file=sys.stderr)


if __name__ == '__main__':
    main()
