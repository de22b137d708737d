# SPDX-License-Identifier: MIT
"""The real daxctl against `memhp serve` (tests/tools/run.py, section 7).

Each oracle transcript of tests/golden/oracle/{dax,nvdimm} whose scenario uses daxctl
is replayed on a served machine with the same command line: `daxctl` lines
run Debian's /usr/bin/daxctl, unchanged, in a mount namespace over the served
sysfs (daxctl-ns.sh); monitor lines go over QMP; every other line (modprobe,
cat, ls, echo, and ndctl, whose library needs sysfs memhp does not provide:
see DESIGN) runs in the guest's shell through memhp's x-memhp-guest-shell.
The transcript so made must compare equal (`memhp compare`) to the one
recorded on Linux 6.1 with the same daxctl.
"""

import glob
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
NS = os.path.join(HERE, 'daxctl-ns.sh')


def replay(memhp, h, path):
    name = 'daxctl: ' + os.path.relpath(path, h['root'])
    qemu, steps = h['parse_transcript'](path)
    s = h['start'](memhp, name, machine=qemu)
    if not s:
        return
    try:
        q = s.qmp()
        with open(path) as f:
            first = f.readline()
        out = [first.rstrip('\n')]
        for line, _want in steps:
            out.append(line)
            if line.startswith('$ daxctl '):
                r = subprocess.run([NS, s.mnt, line[2:]], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=120)
                got = r.stdout.decode(errors='replace').splitlines()
                if r.returncode == 99:
                    h['not_ok'](name, 'the mount namespace could not be set up:\n' + '\n'.join(got))
                    return
            elif line.startswith('$ '):
                r = q.cmd('x-memhp-guest-shell', {'command-line': line[2:]})
                got = r.get('return', 'error: %s' % r).splitlines()
            else:
                got, why = h['run_step'](s, q, line)
                if why:
                    h['skip'](name, why)
                    return
            out.extend(got)
        actual = os.path.join(s.dir, 'replay.txt')
        with open(actual, 'w') as f:
            f.write('\n'.join(out) + '\n')
        r = subprocess.run([memhp, 'compare', path, actual], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        h['check']('%s (%d steps, daxctl real)' % (name, len(steps)), r.returncode == 0,
                   r.stdout.decode(errors='replace'))
    except Exception as e:  # a crashed server: a failure, not a crash of the suite
        h['not_ok'](name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()


def test_daxctl(memhp, h):
    """h: run.py's helpers (start, check, skip, not_ok, namespace_ok, parse_transcript, run_step, root)."""
    files = sorted(glob.glob(os.path.join(h['root'], 'tests/golden/oracle/dax/*.txt')) +
                   glob.glob(os.path.join(h['root'], 'tests/golden/oracle/nvdimm/*.txt')))
    files = [f for f in files if any(x.startswith('$ daxctl ') for x in open(f))]
    if not shutil.which('daxctl'):
        h['skip']('daxctl: oracle transcripts with the real daxctl', 'daxctl not found (Debian package daxctl)')
        return
    why = h['namespace_ok']()
    if why:
        h['skip']('daxctl: oracle transcripts with the real daxctl', why)
        return
    for f in files:
        replay(memhp, h, f)
