# SPDX-License-Identifier: MIT
"""A soak of `memhp serve` (tests/tools/run.py calls test_soak; MEMHP_SOAK_SECONDS, default 30).

For the given time, at once: readers walk the whole FUSE mount reading every
file (some in small chunks), `lsmem --sysroot` lists the blocks, writers
online and offline blocks through the mount, a QMP client adds and removes
DIMMs, and an --on-event hook logs every kernel event and onlines added
blocks. Checked: no read slower than a second; a file that does not change
reads the same bytes whole and in chunks, every time; no kernel event is lost
unseen (each SEQNUM reached the hook or was counted as dropped); every error
a write or QMP command met is one the kernel or QEMU gives for the race; the
mm state stays consistent (each block's state one of Linux's); SIGTERM ends
the server within a second, with exit 0 and the mount gone.
"""

import errno
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

HOOK = ('echo "$SEQNUM $ACTION $DEVPATH" >>"%(log)s"; '
        'test "$ACTION" = add && echo online_movable >"$MEMHP_MOUNT/sys$DEVPATH/state" 2>/dev/null; true')
MEM = '/sys/devices/system/memory'
# files whose bytes do not change while DIMMs come and go
STABLE = ['/sys/devices/system/memory/block_size_bytes', '/sys/devices/system/memory/memory0/phys_index',
          '/sys/devices/system/memory/memory3/valid_zones', '/sys/devices/system/node/possible',
          '/sys/devices/system/memory/memory1/phys_device']
# what a race may make a read or a write meet: a block gone (ENOENT, ENODEV), busy or refused
RACE_ERRNOS = {errno.ENOENT, errno.ENODEV, errno.EBUSY, errno.EINVAL, errno.EAGAIN, errno.EPERM, errno.EINTR,
               errno.ENOMEM}
STATES = {'online\n', 'offline\n', 'going-offline\n'}


def test_soak(memhp, start, check, not_ok, mounted, seconds=None):
    seconds = float(seconds or os.environ.get('MEMHP_SOAK_SECONDS', '30'))
    name = 'soak'
    log = tempfile.mktemp(prefix='memhp-soak.')
    s = start(memhp, name, extra=['--on-event', HOOK % {'log': log}],
              machine=['-m', '2G,slots=32,maxmem=64G', '-smp', '2'])
    if not s:
        return
    stop = threading.Event()
    lock = threading.Lock()
    res = {'reads': 0, 'slowest': (0.0, ''), 'bad_errors': [], 'unstable': [], 'writes': 0,
           'lsmem': 0, 'lsmem_slowest': 0.0, 'lsmem_bad': [], 'qmp_ops': 0, 'qmp_bad': [], 'bad_states': [], 'crashed': []}
    stable = {}

    def note_time(t, what):
        with lock:
            res['reads'] += 1
            if t > res['slowest'][0]:
                res['slowest'] = (t, what)

    def read_whole(p):
        t0 = time.monotonic()
        with open(p, 'rb') as f:
            data = f.read()
        note_time(time.monotonic() - t0, p)
        return data

    def read_chunks(p, rnd):
        t0 = time.monotonic()
        out = b''
        with open(p, 'rb', buffering=0) as f:
            while True:
                b = f.read(rnd.randint(1, 9))
                if not b:
                    break
                out += b
        note_time(time.monotonic() - t0, p)
        return out

    def guarded(fn):
        def run(*a):
            try:
                fn(*a)
            except Exception as e:  # a thread's crash is a failure, not a hang of the suite
                with lock:
                    res['crashed'].append('%s: %s: %s' % (fn.__name__, type(e).__name__, e))
        return run

    @guarded
    def reader(seed):
        rnd = random.Random(seed)
        while not stop.is_set():
            for root, dirs, files in os.walk(s.mnt):
                if stop.is_set():
                    break
                # the kernel's ftrace buffer and a few huge tables are not what this is about
                dirs[:] = [d for d in dirs if d not in ('tracing',)]
                for fn in files:
                    p = os.path.join(root, fn)
                    try:
                        if fn in ('state', 'iomem', 'zoneinfo') and rnd.random() < 0.5:
                            data = read_chunks(p, rnd)
                        else:
                            data = read_whole(p)
                        if fn == 'state' and root.startswith(s.mnt + MEM) and data.decode() not in STATES:
                            with lock:
                                res['bad_states'].append((p, data))
                    except OSError as e:
                        if e.errno not in RACE_ERRNOS | {errno.EACCES, errno.EIO, errno.EISDIR}:
                            with lock:
                                res['bad_errors'].append('read %s: %s' % (p, e))
                for rel in STABLE:
                    got = read_chunks(s.mnt + rel, rnd)
                    if got != stable[rel]:
                        with lock:
                            res['unstable'].append((rel, stable[rel], got))

    @guarded
    def writer(seed):
        rnd = random.Random(seed)
        while not stop.is_set():
            try:
                blocks = [b for b in os.listdir(s.mnt + MEM) if re.match(r'memory\d+$', b) and int(b[6:]) >= 16]
            except OSError:
                continue
            if not blocks:
                time.sleep(0.01)
                continue
            b = rnd.choice(blocks)
            what = rnd.choice(['online_movable', 'offline', 'online', 'offline'])
            try:
                with open('%s%s/%s/state' % (s.mnt, MEM, b), 'w') as f:
                    f.write(what)
                with lock:
                    res['writes'] += 1
            except OSError as e:
                # open(O_CREAT) of a state file whose block went between listdir() and the
                # lookup: sysfs has no ->create, so the kernel's VFS answers EACCES there too
                gone = e.errno == errno.EACCES and not os.path.exists('%s%s/%s/state' % (s.mnt, MEM, b))
                if e.errno not in RACE_ERRNOS and not gone:
                    with lock:
                        res['bad_errors'].append('write %s > %s: %s' % (what, b, e))

    @guarded
    def lister():
        while not stop.is_set():
            t0 = time.monotonic()
            r = subprocess.run(['lsmem', '--sysroot', s.mnt], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, timeout=30)
            t = time.monotonic() - t0
            with lock:
                res['lsmem'] += 1
                res['lsmem_slowest'] = max(res['lsmem_slowest'], t)
                # a block removed between lsmem's listing and its read is the one thing it may meet
                if r.returncode != 0 and 'No such file' not in r.stderr and 'No such device' not in r.stderr:
                    res['lsmem_bad'].append(r.stderr.strip())
            time.sleep(0.05)

    @guarded
    def qmp_client():
        q = s.qmp()
        rnd = random.Random(7)
        plugged = []
        n = 0
        while not stop.is_set():
            if len(plugged) < 6 and (not plugged or rnd.random() < 0.6):
                n += 1
                r1 = q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'sm%d' % n,
                                          'size': rnd.choice([128, 256, 512]) << 20})
                r2 = q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'sd%d' % n, 'memdev': 'sm%d' % n})
                if r1 != {'return': {}} or r2 != {'return': {}}:
                    res['qmp_bad'].append(('add', n, r1, r2))
                else:
                    plugged.append(n)
            else:
                i = plugged[rnd.randrange(len(plugged))]
                r = q.cmd('device_del', {'id': 'sd%d' % i})
                if r != {'return': {}}:
                    res['qmp_bad'].append(('del', i, r))
                    continue
                # ejected (DEVICE_DELETED), or refused by the guest (its _OST says so): both are answers
                ev = q.wait_event('DEVICE_DELETED', timeout=0.5, pred=lambda e, i=i: e['data'].get('device') == 'sd%d' % i)
                if ev:
                    plugged.remove(i)
                    r = q.cmd('object-del', {'id': 'sm%d' % i})
                    if r != {'return': {}}:
                        res['qmp_bad'].append(('object-del', i, r))
            with lock:
                res['qmp_ops'] += 1
            time.sleep(0.02)
        q.close()

    try:
        for rel in STABLE:
            stable[rel] = s.read(rel).encode()
        threads = [threading.Thread(target=reader, args=(i,)) for i in range(2)]
        threads += [threading.Thread(target=writer, args=(10 + i,)) for i in range(2)]
        threads += [threading.Thread(target=lister), threading.Thread(target=qmp_client)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        check('soak: no load thread hung', not any(t.is_alive() for t in threads))
        check('soak: no load thread crashed', not res['crashed'], res['crashed'])
        # quiet: wait for the hook to have run every queued event, then one last event of known SEQNUM
        deadline = time.time() + 30
        last = -1
        while time.time() < deadline:
            time.sleep(0.5)
            n = len(open(log).read().splitlines()) if os.path.exists(log) else 0
            if n == last:
                break
            last = n
        # the last event: a DIMM's block, added, then onlined by the hook (two events, the last known)
        q = s.qmp()
        q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'last', 'size': 128 << 20})
        q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'lastd', 'memdev': 'last'})
        addr = [d['data']['addr'] for d in q.cmd('query-memory-devices')['return'] if d['data'].get('id') == 'lastd']
        q.close()
        want = ['online', '/devices/system/memory/memory%d' % (addr[0] >> 27)] if addr else None
        deadline = time.time() + 10
        lines = []
        while time.time() < deadline:
            lines = open(log).read().splitlines()
            if lines and lines[-1].split()[1:] == want:
                break
            time.sleep(0.1)
        seqs = [int(x.split()[0]) for x in lines]
        dropped = sum(int(x) for x in re.findall(r'(\d+) events dropped', s.stderr()))
        with lock:
            check('soak: %d reads, none slower than a second (slowest %.3f s: %s)' %
                  (res['reads'], res['slowest'][0], res['slowest'][1]),
                  res['reads'] > 100 and res['slowest'][0] < 1.0, res['slowest'])
            check('soak: unchanging files read the same bytes, whole or in chunks', not res['unstable'],
                  res['unstable'][:5])
            check('soak: %d writes to state; every refused one refused as the kernel does' % res['writes'],
                  res['writes'] > 10 and not res['bad_errors'], res['bad_errors'][:10])
            check('soak: each block state read is one of Linux\'s', not res['bad_states'], res['bad_states'][:5])
            # lsmem is a process making hundreds of reads: bounded, not by one read's second
            check('soak: %d lsmem runs, each within 10 s (slowest %.2f s), none failed but for a block '
                  'removed under it' % (res['lsmem'], res['lsmem_slowest']),
                  res['lsmem'] > 0 and res['lsmem_slowest'] < 10 and not res['lsmem_bad'], res['lsmem_bad'][:5])
            check('soak: %d QMP hot-adds and removes, each answered as QEMU does' % res['qmp_ops'],
                  res['qmp_ops'] > 5 and not res['qmp_bad'], res['qmp_bad'][:5])
        check('soak: %d kernel events: each SEQNUM reached the hook once, in order, or was counted dropped (%d)'
              % (seqs[-1] if seqs else 0, dropped),
              seqs and seqs == sorted(set(seqs)) and len(seqs) + dropped == seqs[-1],
              (len(seqs), dropped, seqs[-1] if seqs else None))
        t0 = time.time()
        rc = s.stop(signal.SIGTERM)
        took = time.time() - t0
        check('soak: SIGTERM ends the server within a second (%.2f s), exit 0, unmounted' % took,
              rc == 0 and took < 1.0 and not mounted(s.mnt), 'exit %s after %.2f s\n%s' % (rc, took, s.stderr()))
    except Exception as e:
        not_ok(name, '%s: %s\n%s' % (type(e).__name__, e, s.stderr()))
    finally:
        stop.set()
        s.stop()
        s.cleanup()
        if os.path.exists(log):
            os.remove(log)
