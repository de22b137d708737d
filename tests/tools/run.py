#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Real tools against `memhp serve` (make check, section 5).

    python3 tests/tools/run.py MEMHP

1. lsmem/chmem transcripts recorded on Linux (tests/golden/tools/*.txt,
   tests/golden/oracle/tools/*.txt): the state is made over QMP and the
   mount, `lsmem --sysroot MOUNT` and `chmem` (in a mount namespace where the
   mount is bound over /sys/devices/system/memory) must print the same lines.
2. The kernel's tools/testing/selftests/memory-hotplug/mem-on-off-test.sh,
   unchanged, taken from Debian's linux-source-6.1 (cached in tests/.cache).
3. A QMP client: greeting, negotiation, hot-add, hot-remove with events,
   queries, and malformed input.
4. Kernel events: --monitor's udevadm format and an --on-event auto-online rule;
   systemd's udevadm test applying the distribution auto-online rule (udev_rules.py).
5. Signals: SIGINT/SIGTERM end the server and unmount.
6. The picture of physical memory, MOUNT/.memhp/map.svg, against sysfs.
7. A soak under readers, lsmem, writers, QMP hot-plug and hooks (soak.py).
8. Debian's daxctl and ndctl replaying the oracle's dax transcripts (dax_tools.py).

Tests that need what the machine lacks (/dev/fuse, root, unshare, a FUSE
build, the network for the selftest) are reported as "skip - NAME (why)" and
counted in neither total. Ends with "N passed, N failed".
"""

import glob
import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMP  # noqa: E402
from udev_rules import test_udev  # noqa: E402
from dax_tools import test_daxctl  # noqa: E402
from soak import test_soak  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.path.join(ROOT, 'tests', '.cache')
MACHINE = ['-m', '1G,slots=4,maxmem=8G', '-smp', '2']

passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print('ok - tools: %s' % name, flush=True)


def not_ok(name, detail=''):
    global failed
    failed += 1
    print('not ok - tools: %s' % name, flush=True)
    for line in str(detail).splitlines()[:40]:
        print('    ' + line)


def skip(name, why):
    why = '; '.join(x.strip() for x in str(why).splitlines() if x.strip())
    print('skip - tools: %s (%s)' % (name, why), flush=True)


def check(name, cond, detail=''):
    if cond:
        ok(name)
    else:
        not_ok(name, detail)
    return cond


def mounted(path):
    path = os.path.realpath(path)
    with open('/proc/self/mounts') as f:
        for line in f:
            fields = line.split()
            if len(fields) > 1 and fields[1].replace('\\040', ' ') == path:
                return line
    return None


class Server:
    """One `memhp serve` process with a mount and a QMP socket in a temporary directory."""

    def __init__(self, memhp, extra=(), machine=MACHINE, monitor=False):
        self.dir = tempfile.mkdtemp(prefix='memhp-serve.')
        self.mnt = os.path.join(self.dir, 'mnt')
        self.sock = os.path.join(self.dir, 'qmp.sock')
        os.mkdir(self.mnt)
        self.out = open(os.path.join(self.dir, 'stdout'), 'w+')
        self.err = open(os.path.join(self.dir, 'stderr'), 'w+')
        args = [memhp, 'serve', '--mount', self.mnt, '--qmp', self.sock] + list(extra)
        if monitor:
            args.append('--monitor')
        self.proc = subprocess.Popen(args + list(machine), stdout=self.out, stderr=self.err)
        self.error = None
        deadline = time.time() + 20
        while time.time() < deadline:
            if 'ready' in self.stderr():
                return
            if self.proc.poll() is not None:
                self.error = self.stderr().strip() or 'exit %d' % self.proc.returncode
                return
            time.sleep(0.05)
        self.error = 'not ready after 20 s: ' + self.stderr()

    def stderr(self):
        self.err.seek(0)
        return self.err.read()

    def stdout(self):
        self.out.seek(0)
        return self.out.read()

    def stop(self, sig=signal.SIGTERM):
        """End the server with sig: its exit status (None if it had to be killed)."""
        rc = None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                rc = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        else:
            rc = self.proc.returncode
        return rc

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if mounted(self.mnt):
            subprocess.run(['umount', '-l', self.mnt], stderr=subprocess.DEVNULL)
        self.out.close()
        self.err.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def qmp(self):
        q = QMP(self.sock)
        q.negotiate()
        return q

    def path(self, p):
        return self.mnt + p

    def read(self, p):
        with open(self.path(p)) as f:
            return f.read()


def start(memhp, name, **kw):
    """A server, or None after reporting why name cannot run."""
    if not os.path.exists('/dev/fuse'):
        skip(name, 'no /dev/fuse')
        return None
    s = Server(memhp, **kw)
    if s.error:
        if 'built without' in s.error:
            skip(name, s.error)
        elif os.geteuid() != 0 and 'cannot mount' in s.error:
            skip(name, 'FUSE mount refused for non-root: ' + s.error)
        else:
            not_ok(name + ': memhp serve starts', s.error)
        s.cleanup()
        return None
    return s


_ns = None


def namespace_ok():
    """Root, unshare and a bind mount in a private mount namespace: '' or why not."""
    global _ns
    if _ns is None:
        if os.geteuid() != 0:
            _ns = 'needs root'
        elif not shutil.which('unshare'):
            _ns = 'unshare not found'
        elif not os.path.isdir('/sys/devices/system/memory'):
            _ns = 'no /sys/devices/system/memory to bind over'
        else:
            r = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh', '-c',
                                'mount --bind /sys/devices/system/memory /sys/devices/system/memory'],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            _ns = '' if r.returncode == 0 else 'unshare -m failed: ' + r.stdout.decode().strip()
    return _ns


# commands run in a mount namespace see the served memory directory as their /sys/devices/system/memory
NS_SETUP = 'mount --bind "$1/sys/devices/system/memory" /sys/devices/system/memory || exit 99; shift; '


def run_in_namespace(mnt, cmd, timeout=120):
    r = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh', '-c',
                        NS_SETUP + 'exec sh -c "$1"', 'sh', mnt, cmd],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return r.returncode, r.stdout.decode(errors='replace')


# ---- 1. lsmem / chmem transcripts -------------------------------------------------

SIZE_UNITS = {'': 1, 'B': 1, 'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}


def hmp_opts_to_qmp(text, implied):
    """'memory-backend-ram,id=m1,size=512M' -> QMP arguments (implied: the first bare word's key)."""
    args = {}
    for i, part in enumerate(text.split(',')):
        if '=' not in part:
            if i == 0:
                args[implied] = part
            continue
        k, v = part.split('=', 1)
        args[k] = v
    if implied == 'qom-type':
        if 'size' in args:
            m = re.fullmatch(r'(\d+)([BKMGT]?)', args['size'])
            if m:
                args['size'] = int(m.group(1)) * SIZE_UNITS[m.group(2)]
        for k in ('merge', 'dump', 'prealloc', 'share', 'reserve'):
            if k in args:
                args[k] = args[k] in ('on', 'yes', 'true')
    return args


def parse_transcript(path):
    qemu, steps = None, []
    with open(path) as f:
        for line in f.read().splitlines():
            if qemu is None:
                if line.startswith('qemu '):
                    qemu = shlex.split(line[5:])
                continue
            if line.startswith('$ ') or line.startswith('(qemu) '):
                steps.append([line, []])
            elif steps:
                steps[-1][1].append(line)
    return qemu, steps


def run_step(s, q, line):
    """Run one transcript line against the server: (output lines, None) or (None, why it cannot run)."""
    if line.startswith('(qemu) '):
        cmd = line[7:].strip()
        word, _, rest = cmd.partition(' ')
        if word == 'object_add':
            r = q.cmd('object-add', hmp_opts_to_qmp(rest.strip(), 'qom-type'))
        elif word == 'device_add':
            r = q.cmd('device_add', hmp_opts_to_qmp(rest.strip(), 'driver'))
        elif word in ('device_del', 'object_del'):
            r = q.cmd(word.replace('object_del', 'object-del'), {'id': rest.strip()})
        else:
            r = q.cmd('human-monitor-command', {'command-line': cmd})
            if 'return' in r:
                return r['return'].replace('\r\n', '\n').splitlines(), None
        if 'error' in r:
            return ['Error: ' + r['error']['desc']], None
        return [], None
    cmd = line[2:]
    words = shlex.split(cmd)
    if words and words[0] == 'lsmem':
        r = subprocess.run(['lsmem', '--sysroot', s.mnt] + words[1:], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
        return r.stdout.decode(errors='replace').splitlines(), None
    if words and words[0] == 'chmem':
        why = namespace_ok()
        if why:
            return None, why
        return run_in_namespace(s.mnt, cmd)[1].splitlines(), None
    # anything else (echo > /sys/...): the guest's paths under the mount
    cmd = re.sub(r'(?<![\w/.])/(sys|proc)/', lambda m: s.mnt + '/' + m.group(1) + '/', cmd)
    r = subprocess.run(['sh', '-c', cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return r.stdout.decode(errors='replace').splitlines(), None


def test_transcript(memhp, path):
    name = os.path.relpath(path, ROOT)
    if not shutil.which('lsmem') or not shutil.which('chmem'):
        skip(name, 'util-linux lsmem/chmem not found')
        return
    qemu, steps = parse_transcript(path)
    if qemu is None:
        not_ok(name, 'no qemu line')
        return
    s = start(memhp, name, machine=qemu)
    if not s:
        return
    try:
        q = s.qmp()
        for line, want in steps:
            got, why = run_step(s, q, line)
            if why:
                skip(name, line + ': ' + why)
                return
            if got != want:
                diff = ['step: ' + line] + ['-' + x for x in want] + ['+' + x for x in got]
                not_ok(name, '\n'.join(diff))
                return
        ok('%s (%d steps)' % (name, len(steps)))
    except Exception as e:  # a crashed server, a refused socket: a failure, not a crash of the suite
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()


# ---- 2. the kernel's selftest -------------------------------------------------------

SELFTEST = 'tools/testing/selftests/memory-hotplug/mem-on-off-test.sh'


def get_selftest():
    """The selftest script from Debian's linux-source-6.1: (path, None) or (None, why not)."""
    found = glob.glob(os.path.join(CACHE, 'linux-source-6.1', SELFTEST))
    if found:
        return found[0], None
    os.makedirs(CACHE, exist_ok=True)
    debs = sorted(glob.glob(os.path.join(CACHE, 'linux-source-6.1_*.deb')))
    if not debs:
        if not shutil.which('apt-get'):
            return None, 'apt-get not found to download linux-source-6.1'
        r = subprocess.run(['apt-get', 'download', 'linux-source-6.1'], cwd=CACHE,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        debs = sorted(glob.glob(os.path.join(CACHE, 'linux-source-6.1_*.deb')))
        if not debs:
            return None, 'apt-get download linux-source-6.1 failed: ' + r.stdout.decode()[-300:]
    # the package holds /usr/src/linux-source-6.1.tar.xz; take the one file out of it
    r = subprocess.run(['sh', '-c', 'dpkg-deb --fsys-tarfile "$1" | tar -xO --wildcards "*linux-source-6.1.tar.xz" '
                        '| tar -xJ -C "$2" --wildcards "*/memory-hotplug/mem-on-off-test.sh"',
                        'sh', debs[-1], CACHE], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    found = glob.glob(os.path.join(CACHE, 'linux-source-6.1', SELFTEST))
    if not found:
        return None, 'cannot extract %s: %s' % (SELFTEST, r.stdout.decode()[-300:])
    return found[0], None


# In the namespace: the served memory and debugfs directories over the real ones,
# a debugfs listed by `mount -t debugfs`, and /sbin/modprobe loading the guest's module.
SELFTEST_NS = r'''
set -e
M=$1 SCRIPT=$2 SHIMS=$3
mount --bind "$M/sys/devices/system/memory" /sys/devices/system/memory
if [ -z "$(mount -t debugfs)" ] && ! mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null; then
	# no debugfs to be found by `mount -t debugfs`: name the bound directory instead
	export PATH="$SHIMS/bin:$PATH"
fi
dbg=$(mount -t debugfs | head -1 | awk '{ print $3 }')
mount --bind "$M/sys/kernel/debug" "$dbg"
if [ -e /sbin/modprobe ]; then
	mount --bind "$SHIMS/modprobe" /sbin/modprobe
else
	orig=$(mktemp -d)
	mount --bind /usr/sbin "$orig"
	mount -t tmpfs tmpfs /usr/sbin
	for f in "$orig"/* "$orig"/.[!.]*; do [ -e "$f" ] && ln -s "$f" /usr/sbin/; done
	cp "$SHIMS/modprobe" /usr/sbin/modprobe
fi
set +e
cd "$(dirname "$SCRIPT")"
shift 3
bash "$SCRIPT" "$@"
'''

MODPROBE_SHIM = '''#!/bin/sh
# modprobe for memhp's guest: the one module, loaded through the served mount
quiet=
for a; do case $a in -*q*) quiet=1 ;; esac; done
if [ -n "$quiet" ]; then
	printf '%%s\\n' "$*" 2>/dev/null >"%(ctl)s" 2>/dev/null
else
	printf '%%s\\n' "$*" >"%(ctl)s"
fi
'''

MOUNT_SHIM = '''#!/bin/sh
# `mount -t debugfs` names the served debugfs; everything else is the real mount
if [ "$#" -eq 2 ] && [ "$1" = -t ] && [ "$2" = debugfs ]; then
	echo "debugfs on /sys/kernel/debug type debugfs (rw,relatime)"
	exit 0
fi
exec /usr/bin/mount "$@"
'''


def test_selftest(memhp):
    name = 'mem-on-off-test.sh (linux-source-6.1)'
    why = namespace_ok()
    if why:
        skip(name, why)
        return
    for tool in ('bash', 'bc', 'awk', 'dpkg-deb', 'tar', 'xz'):
        if not shutil.which(tool):
            skip(name, tool + ' not found')
            return
    script, why = get_selftest()
    if not script:
        skip(name, why)
        return
    s = start(memhp, name)
    if not s:
        return
    shims = os.path.join(s.dir, 'shims')
    os.makedirs(os.path.join(shims, 'bin'))
    with open(os.path.join(shims, 'modprobe'), 'w') as f:
        f.write(MODPROBE_SHIM % {'ctl': s.mnt + '/.memhp/modprobe'})
    with open(os.path.join(shims, 'bin', 'mount'), 'w') as f:
        f.write(MOUNT_SHIM)
    for p in (os.path.join(shims, 'modprobe'), os.path.join(shims, 'bin', 'mount')):
        os.chmod(p, 0o755)
    try:
        q = s.qmp()
        # hot-pluggable memory for it to work on: a 512M DIMM, its blocks offline
        q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm1', 'size': 512 << 20})
        r = q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'd1', 'memdev': 'm1'})
        if 'error' in r:
            not_ok(name, 'device_add: %s' % r)
            return
        # as kselftest runs it, then offlining half of the memory (more of the error paths run)
        for args in ([], ['-r', '50']):
            label = name + (' ' + ' '.join(args) if args else '')
            r = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh', '-c', SELFTEST_NS, 'sh',
                                s.mnt, script, shims] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=600)
            out = r.stdout.decode(errors='replace')
            if os.environ.get('MEMHP_TOOLS_VERBOSE'):
                print(out)
            ran_inject = 'Test with memory notifier error injection' in out and 'skip extra tests' not in out
            states = [s.read('/sys/devices/system/memory/memory%d/state' % i).strip() for i in range(32, 36)]
            check(label + ': exit 0', r.returncode == 0, 'exit %d\n%s' % (r.returncode, out[-3000:]))
            check(label + ': the error-injection part ran', ran_inject, out[-3000:])
            check(label + ': hot-added blocks online at the end', states == ['online'] * 4, states)
            check(label + ': module unloaded at the end',
                  not os.path.exists(s.path('/sys/kernel/debug/notifier-error-inject/memory')), out[-500:])
    except Exception as e:
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()


# ---- 3. QMP -------------------------------------------------------------------------

def test_qmp(memhp):
    name = 'qmp'
    s = start(memhp, name)
    if not s:
        return
    try:
        st = os.stat(s.sock)
        check('qmp: socket is the owner\'s only (0600)',
              stat.S_ISSOCK(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode))
        q = QMP(s.sock)
        g = q.greeting
        check('qmp: greeting as QEMU 7.2',
              list(g) == ['QMP'] and g['QMP']['capabilities'] == ['oob'] and
              g['QMP']['version']['qemu'] == {'micro': 22, 'minor': 2, 'major': 7} and
              isinstance(g['QMP']['version']['package'], str), g)
        r = q.cmd('query-memory-devices')
        check('qmp: commands before qmp_capabilities are refused',
              r == {'error': {'class': 'CommandNotFound',
                              'desc': "Expecting capabilities negotiation with 'qmp_capabilities'"}}, r)
        r = q.cmd('qmp_capabilities', msg_id='neg')
        check('qmp: qmp_capabilities, id echoed', r == {'return': {}, 'id': 'neg'}, r)
        r = q.cmd('qmp_capabilities')
        check('qmp: a second negotiation is refused', r.get('error', {}).get('class') == 'CommandNotFound', r)

        r = q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm1', 'size': 512 << 20}, msg_id=1)
        check('qmp: object-add', r == {'return': {}, 'id': 1}, r)
        r = q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm1', 'size': 512 << 20})
        check('qmp: object-add of a duplicate id',
              r.get('error', {}).get('desc') ==
              "attempt to add duplicate property 'm1' to object (type 'container')", r)
        r = q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'd1', 'memdev': 'm1'})
        check('qmp: device_add pc-dimm', r == {'return': {}}, r)
        ev = q.wait_event('ACPI_DEVICE_OST')
        check('qmp: ACPI_DEVICE_OST after the plug',
              ev is not None and ev['data'] == {'info': {'device': 'd1', 'slot': '0', 'slot-type': 'DIMM',
                                                         'source': 1, 'status': 0}} and
              set(ev['timestamp']) == {'seconds', 'microseconds'}, ev)
        r = q.cmd('query-memory-devices')
        check('qmp: query-memory-devices',
              r == {'return': [{'type': 'dimm', 'data': {
                  'memdev': '/objects/m1', 'hotplugged': True, 'addr': 4294967296, 'hotpluggable': True,
                  'size': 536870912, 'slot': 0, 'node': 0, 'id': 'd1'}}]}, r)
        r = q.cmd('query-memory-size-summary')
        check('qmp: query-memory-size-summary',
              r == {'return': {'base-memory': 1 << 30, 'plugged-memory': 512 << 20}}, r)
        r = q.cmd('query-memdev')
        ids = sorted(m['id'] for m in r.get('return', []))
        check('qmp: query-memdev', ids == ['m1', 'pc.ram'], r)
        r = q.cmd('human-monitor-command', {'command-line': 'info memory-devices'})
        check('qmp: human-monitor-command',
              r.get('return', '').startswith('Memory device [dimm]: "d1"\r\n  addr: 0x100000000\r\n'), r)

        names = os.listdir(s.path('/sys/devices/system/memory'))
        check('qmp: the new blocks are in the mount',
              {'memory32', 'memory33', 'memory34', 'memory35'} <= set(names) and 'memory36' not in names, names)
        for i in range(32, 36):
            with open(s.path('/sys/devices/system/memory/memory%d/state' % i), 'w') as f:
                f.write('online_movable')
        try:
            with open(s.path('/sys/devices/system/memory/memory32/state'), 'w') as f:
                f.write('online_movable')
            errno_seen = None
        except OSError as e:
            errno_seen = e.errno
        check('qmp: a refused write returns the kernel\'s errno (EINVAL)', errno_seen == 22, errno_seen)

        r = q.cmd('object-del', {'id': 'm1'})
        check('qmp: object-del of a backend in use',
              r == {'error': {'class': 'GenericError', 'desc': "object 'm1' is in use, can not be deleted"}}, r)
        r = q.cmd('device_del', {'id': 'd1'}, msg_id=[1, 2])
        check('qmp: device_del', r == {'return': {}, 'id': [1, 2]}, r)
        ev = q.wait_event('DEVICE_DELETED')
        check('qmp: DEVICE_DELETED', ev is not None and
              ev['data'] == {'device': 'd1', 'path': '/machine/peripheral/d1'}, ev)
        ost = q.wait_event('ACPI_DEVICE_OST', pred=lambda e: e['data']['info'].get('source') == 3)
        check('qmp: ACPI_DEVICE_OST for the eject', ost is not None, q.events)
        r = q.cmd('query-memory-devices')
        check('qmp: no memory devices after device_del', r == {'return': []}, r)
        check('qmp: the blocks left the mount',
              not os.path.exists(s.path('/sys/devices/system/memory/memory32')), '')
        r = q.cmd('object-del', {'id': 'm1'})
        check('qmp: object-del', r == {'return': {}}, r)

        # errors, QEMU's classes and messages
        r = q.cmd('device_del', {'id': 'nosuch'})
        check('qmp: device_del of an unknown device',
              r == {'error': {'class': 'DeviceNotFound', 'desc': "Device 'nosuch' not found"}}, r)
        q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm2', 'size': 128 << 20})
        r = q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'd2', 'memdev': 'nosuch'})
        check('qmp: device_add with an unknown memdev',
              r == {'error': {'class': 'DeviceNotFound', 'desc': "Device 'nosuch' not found"}}, r)
        r = q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm3', 'size': '1G'})
        check('qmp: a wrong argument type (recorded: the uint64 visitor)',
              r == {'error': {'class': 'GenericError', 'desc': "Parameter 'size' expects uint64"}}, r)
        # QEMU 7.2 aborts on these (an assertion for 2^64-1, "Failed to find gap" for -2^30);
        # memhp answers as QEMU does for every size the host cannot map (recorded for 2^63)
        for big in (2**64 - 1, -2**30):
            r = q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'huge', 'size': big})
            check('qmp: object-add size %d is refused, not a crash' % big,
                  r == {'error': {'class': 'GenericError',
                                  'desc': "cannot set up guest memory 'huge': Cannot allocate memory"}}, r)
        # the id echoed as QEMU's qnum_to_string() writes it ("%.17g"), seen from real QEMU 7.2
        for text, want in ((b'1.0', b'"id": 1}'), (b'1e400', b'"id": inf}'),
                           (b'-9223372036854775809', b'"id": -9.2233720368547758e+18}'),
                           (b'18446744073709551615', b'"id": 18446744073709551615}')):
            q.send_raw(b'{"execute": "query-status", "id": ' + text + b'}\n')
            while b'\n' not in q.buf:
                q.buf += q.sock.recv(65536)
            line, q.buf = q.buf.split(b'\n', 1)
            check('qmp: id %s echoed as QEMU does' % text.decode(), line.rstrip().endswith(want), line)
        r = q.cmd('device_del', {'id': 5})
        check('qmp: device_del with a number for id',
              r.get('error', {}).get('desc') == "Invalid parameter type for 'id', expected: string", r)
        r = q.cmd('device_del', {})
        check('qmp: a missing argument', r.get('error', {}).get('desc') == "Parameter 'id' is missing", r)
        r = q.cmd('query-memdev', {'x': 1})
        check('qmp: an unexpected argument', r.get('error', {}).get('desc') == "Parameter 'x' is unexpected", r)
        r = q.cmd('no-such-command', msg_id='z')
        check('qmp: an unknown command',
              r == {'error': {'class': 'CommandNotFound', 'desc': 'The command no-such-command has not been found'},
                    'id': 'z'}, r)
        r = q.raw([1, 2])
        check('qmp: input that is not an object',
              r.get('error', {}).get('desc') == 'QMP input must be a JSON object', r)
        r = q.raw({'arguments': {}})
        check('qmp: input without execute', r.get('error', {}).get('desc') == "QMP input lacks member 'execute'", r)
        q.send_raw(b'{"execute": nope}\n')
        r = q.reply()
        check('qmp: malformed JSON gets an error', r.get('error', {}).get('class') == 'GenericError' and
              r['error']['desc'].startswith('JSON parse error'), r)
        q.send_raw(b'{"execute": "query-status", "arguments": {"pad": "' + b'x' * 70000 + b'"}}\n')
        r = q.reply()
        check('qmp: an oversized message gets an error', 'too large' in r.get('error', {}).get('desc', ''), r)
        q.send_raw(b'{"execute": "query-memory-size-summary", "id": "after"}')
        r = q.reply()
        check('qmp: the connection still works after bad input', r.get('id') == 'after' and 'return' in r, r)
        q.send_raw(b'\x00\xff\xfe garbage\n{"execute": "query-status"}\n')
        r1, r2 = q.reply(), q.reply()
        check('qmp: binary garbage', 'error' in r1 and r2.get('return', {}).get('status') == 'running', [r1, r2])

        # a second client sees the same machine
        q2 = s.qmp()
        r = q2.cmd('query-memdev')
        check('qmp: a second client', sorted(m['id'] for m in r['return']) == ['m2', 'pc.ram'], r)
        q2.close()

        r = q.cmd('quit')
        check('qmp: quit', r == {'return': {}}, r)
        ev = q.wait_event('SHUTDOWN')
        check('qmp: SHUTDOWN after quit', ev is not None and ev['data'].get('reason') == 'host-qmp-quit', ev)
        try:
            rc = s.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            rc = None
        check('qmp: the server ends after quit, unmounted', rc == 0 and not mounted(s.mnt),
              'exit %s, %s' % (rc, s.stderr()))
        q.close()
    except Exception as e:
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()


# ---- 4. kernel events ---------------------------------------------------------------

AUTO_ONLINE = ('echo "$SEQNUM $ACTION $DEVPATH $SUBSYSTEM" >>"%(log)s"; '
               'if [ "$SUBSYSTEM" = memory ] && [ "$ACTION" = add ]; then '
               'echo online_movable >"$MEMHP_MOUNT/sys$DEVPATH/state"; fi')


def test_events(memhp):
    name = 'events'
    log = tempfile.mktemp(prefix='memhp-events.')
    s = start(memhp, name, extra=['--on-event', AUTO_ONLINE % {'log': log}], monitor=True)
    if not s:
        return
    try:
        q = s.qmp()
        q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm1', 'size': 256 << 20})
        q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'd1', 'memdev': 'm1'})
        deadline = time.time() + 20
        states = []
        while time.time() < deadline:
            states = [s.read('/sys/devices/system/memory/memory%d/state' % i).strip() for i in (32, 33)]
            if states == ['online', 'online']:
                break
            time.sleep(0.1)
        check('events: an --on-event rule onlines hot-added blocks', states == ['online', 'online'], states)
        zones = [s.read('/sys/devices/system/memory/memory%d/valid_zones' % i).strip() for i in (32, 33)]
        check('events: ... into ZONE_MOVABLE', zones == ['Movable', 'Movable'], zones)
        r = q.cmd('device_del', {'id': 'd1'})
        ev = q.wait_event('DEVICE_DELETED', timeout=10)
        check('events: the movable DIMM is ejected on device_del', r == {'return': {}} and ev is not None,
              [r, ev, q.events])
        time.sleep(0.5)
        with open(log) as f:
            lines = f.read().splitlines()
        want = ['add /devices/system/memory/memory32 memory', 'add /devices/system/memory/memory33 memory',
                'online /devices/system/memory/memory32 memory', 'online /devices/system/memory/memory33 memory',
                'offline /devices/system/memory/memory32 memory', 'offline /devices/system/memory/memory33 memory',
                'remove /devices/system/memory/memory32 memory', 'remove /devices/system/memory/memory33 memory']
        seqs = [int(x.split()[0]) for x in lines]
        check('events: ACTION, DEVPATH, SUBSYSTEM, SEQNUM in the command\'s environment',
              sorted(x.split(' ', 1)[1] for x in lines) == sorted(want) and seqs == sorted(seqs) and
              len(set(seqs)) == len(seqs), '\n'.join(lines))
        rc = s.stop(signal.SIGINT)
        check('events: SIGINT ends the server and unmounts', rc == 0 and not mounted(s.mnt),
              'exit %s\n%s' % (rc, s.stderr()))
        out = s.stdout().splitlines()
        pat = re.compile(r'^KERNEL\[(\d+\.\d{6})\] (add|remove|online|offline) +'
                         r'(/devices/system/memory/memory3[23]) \((memory)\)$')
        body = out[3:]

        def udevadm_line(x):
            m = pat.match(x)
            return m and x == 'KERNEL[%s] %-8s %s (%s)' % m.groups()
        check('events: --monitor prints as udevadm monitor --kernel',
              out[:3] == ['monitor will print the received events for:', 'KERNEL - the kernel uevent', ''] and
              len(body) == 8 and all(udevadm_line(x) for x in body), '\n'.join(out))
    except Exception as e:
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()
        if os.path.exists(log):
            os.unlink(log)


# ---- 5. the mount itself -------------------------------------------------------------

def test_mount(memhp):
    name = 'mount'
    s = start(memhp, name)
    if not s:
        return
    try:
        line = mounted(s.mnt) or ''
        check('mount: owner only (no allow_other), default_permissions',
              'allow_other' not in line and 'default_permissions' in line and 'fuse' in line, line)
        check('mount: the top holds proc and sys', sorted(os.listdir(s.mnt)) == ['proc', 'sys'], os.listdir(s.mnt))
        want = ['sys/devices/system/memory', 'sys/devices/system/node', 'sys/module/memory_hotplug/parameters',
                'sys/bus/memory/devices', 'sys/firmware/memmap', 'proc/iomem', 'proc/meminfo',
                'proc/zoneinfo', 'proc/buddyinfo']
        missing = [p for p in want if not os.path.exists(os.path.join(s.mnt, p))]
        check('mount: the guest\'s files are there', not missing, missing)
        st = os.stat(s.path('/sys/devices/system/memory/block_size_bytes'))
        check('mount: sysfs files report 4096 bytes and the kernel\'s mode',
              st.st_size == 4096 and stat.S_IMODE(st.st_mode) == 0o444, st)
        check('mount: symlinks', os.readlink(s.path('/sys/devices/system/memory/memory0/node0')) ==
              '../../node/node0', '')
        whole = s.read('/proc/zoneinfo')
        with open(s.path('/proc/zoneinfo'), 'rb', buffering=0) as f:
            parts = []
            while True:
                b = f.read(100)
                if not b:
                    break
                parts.append(b)
        st = os.stat(s.path('/proc/zoneinfo'))
        check('mount: procfs files report 0 bytes and are read whole, in pieces too',
              st.st_size == 0 and len(whole) > 1000 and b''.join(parts).decode() == whole and
              whole.startswith('Node 0, zone'), (st.st_size, len(whole)))
        try:
            with open(s.path('/sys/devices/system/memory/block_size_bytes'), 'w') as f:
                f.write('1')
            e1 = None
        except OSError as e:
            e1 = e.errno
        check('mount: writing a read-only attribute: EACCES', e1 == 13, e1)
        # bash says which errno (dash says "I/O error" for any)
        r = subprocess.run([shutil.which('bash') or 'sh', '-c', 'echo bogus > "$1"', 'sh',
                            s.path('/sys/devices/system/memory/memory1/state')],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        check('mount: echo > FILE gets the kernel\'s EINVAL', r.returncode != 0 and
              b'Invalid argument' in r.stdout, r.stdout)
        r = subprocess.run(['sh', '-c', 'echo offline > "$1" && cat "$1" && echo online > "$1" && cat "$1"', 'sh',
                            s.path('/sys/devices/system/memory/memory3/state')],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        check('mount: offline and online a boot block with echo', r.stdout == b'offline\nonline\n', r.stdout)
        rc = s.stop(signal.SIGTERM)
        check('mount: SIGTERM ends the server and unmounts', rc == 0 and not mounted(s.mnt),
              'exit %s\n%s' % (rc, s.stderr()))
    except Exception as e:
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()


def sysfs_truth(mnt):
    """{nr: (state, valid_zones, node)} of every memory block, read through the mount."""
    base = mnt + '/sys/devices/system/memory'
    truth = {}
    for name in os.listdir(base):
        m = re.match(r'memory(\d+)$', name)
        if not m:
            continue
        d = os.path.join(base, name)
        with open(d + '/state') as f:
            state = f.read().strip()
        with open(d + '/valid_zones') as f:
            zones = ' '.join(f.read().split())
        nodes = [int(n[4:]) for n in os.listdir(d) if re.match(r'node\d+$', n)]
        truth[int(m.group(1))] = (state, zones, nodes[0] if nodes else -1)
    return truth


def test_map(memhp):
    """MOUNT/.memhp/map.svg: the picture of physical memory made at each read, which must
    show the blocks sysfs shows (tests/map/check.py's comparison), before and after a
    hot-add and an online."""
    name = 'map.svg'
    s = start(memhp, name)
    if not s:
        return
    sys.path.insert(0, os.path.join(ROOT, 'tests', 'map'))
    import check as mapcheck  # noqa: E402
    import xml.etree.ElementTree as ET
    try:
        path = s.path('/.memhp/map.svg')
        st = os.stat(path)
        check('map.svg: a read-only file of the control directory',
              stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o444 and
              'map.svg' in os.listdir(s.path('/.memhp')), (oct(st.st_mode), os.listdir(s.path('/.memhp'))))
        svg = s.read('/.memhp/map.svg')
        why = mapcheck.compare(ET.fromstring(svg), sysfs_truth(s.mnt))
        check('map.svg: the picture at boot agrees with sysfs', svg.startswith('<svg') and not why, why)
        q = s.qmp()
        q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm1', 'size': 256 << 20})
        r = q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'd1', 'memdev': 'm1'})
        q.close()
        with open(s.path('/sys/devices/system/memory/memory33/state'), 'w') as f:
            f.write('online_movable')
        svg2 = s.read('/.memhp/map.svg')
        tree = ET.fromstring(svg2)
        truth = sysfs_truth(s.mnt)
        why = mapcheck.compare(tree, truth)
        runs = [g.get('data-id') for g in tree.iter(mapcheck.SVG_NS + 'g') if g.get('data-id') is not None]
        check('map.svg: made afresh at each read: the hot-added DIMM and its online block agree with sysfs',
              'return' in r and truth.get(33, ('',))[0] == 'online' and 32 in truth and not why and
              'd1' in runs, '%s\n%s\nruns %s' % (r, why, runs))
        # the comparison can fail: the picture before the hot-add is not today's
        check('map.svg: an older picture disagrees with sysfs', mapcheck.compare(ET.fromstring(svg), truth) != '')
        try:
            with open(path, 'w') as f:
                f.write('x')
            e1 = None
        except OSError as e:
            e1 = e.errno
        check('map.svg: writing it fails with EACCES', e1 == 13, e1)
    except Exception as e:
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()


# a command that ignores SIGTERM: the server's exit must kill it after its grace
SLOW_HOOK = 'echo "$SEQNUM $ACTION" >>"%(log)s"; trap "" TERM; sleep 0.2'


def test_event_burst(memhp):
    """A QMP burst of hot-adds and removes with a slow --on-event command: the queue stays
    bounded (drops counted on stderr, the rest run in order) and SIGTERM ends the server
    within a second, killing the running command and skipping the queued ones."""
    name = 'event burst'
    log = tempfile.mktemp(prefix='memhp-burst.')
    s = start(memhp, name, extra=['--on-event', SLOW_HOOK % {'log': log}],
              machine=['-m', '16G,slots=8,maxmem=600G'])
    if not s:
        return
    try:
        q = s.qmp()
        # 2 x 128 GiB: 2048 memory blocks, twice the queue; then their removal
        for i in (1, 2):
            r = q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'b%d' % i, 'size': 128 << 30})
            r2 = q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'bd%d' % i, 'memdev': 'b%d' % i})
            check('event burst: DIMM %d of 128 GiB plugged' % i, r == r2 == {'return': {}}, [r, r2])
        for i in (1, 2):
            r = q.cmd('device_del', {'id': 'bd%d' % i})
            check('event burst: DIMM %d unplugged' % i, r == {'return': {}}, r)
        deadline = time.time() + 10
        while time.time() < deadline and 'events dropped' not in s.stderr():
            time.sleep(0.1)
        m = re.search(r'kernel uevent queue full \((\d+) events\): (\d+) events dropped', s.stderr())
        # 4096 add and remove events, one command at a time: all but the queue's 1024 and
        # the few run meanwhile are dropped
        check('event burst: a full queue drops events and says how many',
              m is not None and int(m.group(1)) == 1024 and int(m.group(2)) > 2000, s.stderr())
        with open(log) as f:
            seqs = [int(x.split()[0]) for x in f.read().splitlines()]
        check('event burst: the commands ran in SEQNUM order', seqs == sorted(seqs) and len(seqs) > 0, seqs)
        t0 = time.time()
        rc = s.stop(signal.SIGTERM)
        took = time.time() - t0
        check('event burst: SIGTERM ends the server within a second, unmounted',
              rc == 0 and took < 1.0 and not mounted(s.mnt), 'exit %s after %.2f s\n%s' % (rc, took, s.stderr()))
        check('event burst: the queued events were not run, and it says so',
              re.search(r'exiting: \d+ queued kernel uevents not run', s.stderr()) is not None, s.stderr())
        with open(log) as f:
            at_exit = len(f.read().splitlines())
        time.sleep(0.5)
        with open(log) as f:
            after = len(f.read().splitlines())
        check('event burst: no command runs after the exit', after == at_exit, (at_exit, after))
        r = subprocess.run(['pgrep', '-f', 'memhp-burst'], stdout=subprocess.PIPE, text=True)
        check('event burst: the running command was killed', r.stdout.strip() == '', r.stdout)
    except Exception as e:
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        s.stop()
        s.cleanup()
        if os.path.exists(log):
            os.remove(log)


def main():
    memhp = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'build/memhp')
    os.chdir(ROOT)
    test_mount(memhp)
    test_map(memhp)
    test_qmp(memhp)
    test_events(memhp)
    test_event_burst(memhp)
    test_udev(memhp, {'start': start, 'check': check, 'skip': skip, 'namespace_ok': namespace_ok})
    test_daxctl(memhp, {'start': start, 'check': check, 'skip': skip, 'not_ok': not_ok, 'namespace_ok': namespace_ok,
                        'parse_transcript': parse_transcript, 'run_step': run_step, 'root': ROOT})
    test_soak(memhp, start, check, not_ok, mounted)
    for t in sorted(glob.glob('tests/golden/tools/*.txt') + glob.glob('tests/golden/oracle/tools/*.txt')):
        test_transcript(memhp, os.path.join(ROOT, t))
    test_selftest(memhp)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
