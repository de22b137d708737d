# SPDX-License-Identifier: MIT
"""The real daxctl and ndctl against `memhp serve` (tests/tools/run.py, section 7).

Each oracle transcript of tests/golden/oracle/{dax,nvdimm} whose scenario uses
daxctl or ndctl is replayed on a served machine with the same command line:
`daxctl` lines, and the ndctl lines real_ndctl() names, run
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
    """ndctl lines that Debian's ndctl runs against the served sysfs, on
    either bus (nd_e820's and the NFIT's): `list`, `create-namespace` in
    every mode (devdax, fsdax, sector, raw, and without -m), of a namespace
    (-e, with or without -f) or of a region (-r; libndctl configures the
    pfn, btt or dax seed through uuid, mode, align, sector_size and
    namespace and binds it to nd_pmem or dax_pmem), `destroy-namespace`
    (the refusal without --force, and with it the destroy of the namespace
    whatever holds it), `disable-region` and `enable-region` (the
    nd_region driver's unbind and bind), `disable-dimm` and `enable-dimm`
    (the nvdimm driver's; for a region libndctl disables the region's
    namespaces and their pfn, btt or dax devices through their drivers'
    unbind first). A forced destroy and a reconfiguration with -e
    run zero_info_block(), which reads and zeroes the old info block through
    /dev/pmemR, the namespace's media that memhp serve serves (daxctl-ns.sh
    binds it there).
    The label commands (init-labels, read-labels, check-labels, zero-labels)
    stay with memhp's guest ndctl: they read and write the label area
    through ioctls on /dev/nmemN (ND_IOCTL_GET_CONFIG_SIZE,
    _GET_CONFIG_DATA, _SET_CONFIG_DATA): the served /dev here is a tmpfs
    with a device node whose major (245) names no driver on the host, and a
    FUSE file could not carry them either (a restricted FUSE ioctl copies
    only _IOC_SIZE bytes, these commands' payloads are variable-length);
    serving them needs a CUSE char device (not done)."""
    w = line[2:].split()
    if not HAVE_NDCTL:
        return False
    return w[:2] in (['ndctl', 'list'], ['ndctl', 'create-namespace'], ['ndctl', 'destroy-namespace'],
                     ['ndctl', 'disable-region'], ['ndctl', 'enable-region'], ['ndctl', 'disable-dimm'],
                     ['ndctl', 'enable-dimm'])


def real_steps(steps):
    """Per step: does Debian's tool run it? daxctl lines and real_ndctl()'s
    (on labelled namespaces too: memhp serves their uuid, alt_name, size and
    sector_size as libndctl reads and writes them)."""
    return [line.startswith('$ daxctl ') or real_ndctl(line) for line, _want in steps]


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
        real = real_steps(steps)
        for i, (line, _want) in enumerate(steps):
            out.append(line)
            if real[i]:
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
        nreal = sum(1 for i, (line, _) in enumerate(steps) if real[i] and line.startswith('$ ndctl '))
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
    files = [f for f in files if any(x.startswith('$ daxctl ') or real_ndctl(x) for x in open(f))]
    if not shutil.which('daxctl'):
        h['skip']('daxctl: oracle transcripts with the real daxctl', 'daxctl not found (Debian package daxctl)')
        return
    why = h['namespace_ok']()
    if why:
        h['skip']('daxctl: oracle transcripts with the real daxctl', why)
        return
    for f in files:
        replay(memhp, h, f)
