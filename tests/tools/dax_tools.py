# SPDX-License-Identifier: MIT
"""The real daxctl and ndctl against `memhp serve` (tests/tools/run.py, section 7).

Each oracle transcript of tests/golden/oracle/{dax,nvdimm} whose scenario uses
daxctl or ndctl is replayed on a served machine with the same command line:
`daxctl` lines, and the ndctl lines real_ndctl() names (on the legacy PMEM's
e820 bus only: the NFIT bus lacks the sysfs libndctl reads, see DESIGN), run
Debian's /usr/bin/daxctl and /usr/bin/ndctl, unchanged, in a mount namespace
over the served sysfs (daxctl-ns.sh); monitor lines go over QMP; every other
line (modprobe, cat, ls, echo, the other ndctl lines) runs in the guest's
shell through memhp's x-memhp-guest-shell.
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
HAVE_NDCTL = shutil.which('ndctl') is not None


def real_ndctl(line):
    """ndctl lines that Debian's ndctl runs against the served sysfs: `list`,
    `create-namespace` in every mode (devdax, fsdax, sector, raw, and without
    -m), with and without `-f -e namespaceR.0` (libndctl configures the pfn,
    btt or dax seed through uuid, mode, align, sector_size and namespace and
    binds it to nd_pmem or dax_pmem), and `destroy-namespace`: the refusal
    without --force, and with it the destroy of the namespace whatever holds
    it. A forced destroy and a reconfiguration with -e run zero_info_block(),
    which reads and zeroes the old info block through /dev/pmemR, the
    namespace's media that memhp serve serves (daxctl-ns.sh binds it there).
    `disable-region` and `enable-region` too: libndctl disables the
    region's namespaces (and their pfn, btt or dax devices) through their
    drivers' unbind, then writes the region to nd_region's unbind or to
    each driver's bind in turn."""
    w = line[2:].split()
    if not HAVE_NDCTL:
        return False
    return w[:2] in (['ndctl', 'list'], ['ndctl', 'create-namespace'], ['ndctl', 'destroy-namespace'],
                     ['ndctl', 'disable-region'], ['ndctl', 'enable-region'])


def on_nfit(path):
    """A transcript of an NVDIMM machine (the ACPI.NFIT bus)."""
    return os.sep + 'nvdimm' + os.sep in path


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
        nreal = 0
        for line, _want in steps:
            out.append(line)
            real = real_ndctl(line) and not on_nfit(path)
            nreal += real
            if line.startswith('$ daxctl ') or real:
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
        h['check']('%s (%d steps, daxctl real, %d ndctl lines real%s)' % (
            name, len(steps), nreal, '' if HAVE_NDCTL else ': ndctl not found (Debian package ndctl)'),
            r.returncode == 0,
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
    files = [f for f in files if any(x.startswith('$ daxctl ') or (real_ndctl(x) and not on_nfit(f)) for x in open(f))]
    if not shutil.which('daxctl'):
        h['skip']('daxctl: oracle transcripts with the real daxctl', 'daxctl not found (Debian package daxctl)')
        return
    why = h['namespace_ok']()
    if why:
        h['skip']('daxctl: oracle transcripts with the real daxctl', why)
        return
    for f in files:
        replay(memhp, h, f)
