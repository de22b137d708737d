# SPDX-License-Identifier: MIT
"""udev's own rule engine against `memhp serve` (tests/tools/run.py, section 6).

Every memory-block event of the served machine is handed, through
`--on-event`, to systemd's `udevadm test` (tests/tools/udevadm-ns.sh), which
reads the served sysfs as /sys and applies the distribution auto-online rule,
so the rule's effect is the real udev's. The kernel's own auto_online_blocks
runs before the "add" event is delivered, so with it on the rule's
ATTR{state}=="offline" no longer matches: the race that distributions lose
when both are on, visible here as blocks in the kernel's zone, not the rule's.
"""

import os
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NS = os.path.join(HERE, 'udevadm-ns.sh')

# the rule distributions ship (e.g. 40-redhat.rules, 80-hotplug-cpu-mem.rules), and its movable variant
RULE = 'SUBSYSTEM=="memory", ACTION=="add", ATTR{state}=="offline", ATTR{state}="%s"\n'

HOOK = ('[ "$SUBSYSTEM" = memory ] && [ "$ACTION" = add ] || exit 0; '
        '"%(ns)s" "$MEMHP_MOUNT" "%(rules)s" "$ACTION" "$DEVPATH" >>"%(log)s" 2>&1; '
        'echo "rc=$? $DEVPATH" >>"%(log)s"')


def why_not(namespace_ok):
    """'' when udevadm can run in a namespace, else why not."""
    if not shutil.which('udevadm'):
        return 'udevadm not found (Debian package udev)'
    return namespace_ok()


def one_case(memhp, h, name, state, append):
    """Hot-add 256 MiB with the rule writing state; (states, zones, udevadm's log)."""
    rules = tempfile.mkdtemp(prefix='memhp-rules.')
    log = os.path.join(rules, 'log')
    with open(os.path.join(rules, '80-memory-auto-online.rules'), 'w') as f:
        f.write(RULE % state)
    machine = ['-m', '1G,slots=4,maxmem=8G', '-smp', '2'] + (['-append', append] if append else [])
    s = h['start'](memhp, name, extra=['--on-event', HOOK % {'ns': NS, 'rules': rules, 'log': log}],
                   machine=machine)
    if not s:
        shutil.rmtree(rules, ignore_errors=True)
        return None
    try:
        q = s.qmp()
        q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'm1', 'size': 256 << 20})
        q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'd1', 'memdev': 'm1'})
        text = ''
        deadline = time.time() + 60
        while time.time() < deadline:
            text = open(log).read() if os.path.exists(log) else ''
            if text.count('rc=') >= 2:
                break
            time.sleep(0.1)
        states = [s.read('/sys/devices/system/memory/memory%d/state' % i).strip() for i in (32, 33)]
        zones = [s.read('/sys/devices/system/memory/memory%d/valid_zones' % i).strip() for i in (32, 33)]
        return states, zones, text
    finally:
        s.stop()
        s.cleanup()
        shutil.rmtree(rules, ignore_errors=True)


def test_udev(memhp, h):
    """h: run.py's helpers start, check, skip, namespace_ok."""
    why = why_not(h['namespace_ok'])
    if why:
        h['skip']('udev: udevadm test applies the auto-online rule', why)
        return
    writes = ["ATTR '/sys/devices/system/memory/memory%d/state' writing '%s'" % (i, w)
              for w in ('online', 'online_movable') for i in (32, 33)]
    r = one_case(memhp, h, 'udev: online rule', 'online', '')
    if r:
        states, zones, text = r
        h['check']('udev: udevadm test applies ATTR{state}="online" to each added block',
                   states == ['online', 'online'] and writes[0] in text and writes[1] in text and
                   text.count('rc=0') == 2, '%s %s\n%s' % (states, zones, text))
        h['check']('udev: ... the kernel puts them in ZONE_NORMAL', zones == ['Normal', 'Normal'], zones)
    r = one_case(memhp, h, 'udev: online_movable rule', 'online_movable', '')
    if r:
        states, zones, text = r
        h['check']('udev: the online_movable variant puts them in ZONE_MOVABLE',
                   states == ['online', 'online'] and zones == ['Movable', 'Movable'] and
                   writes[2] in text and writes[3] in text, '%s %s\n%s' % (states, zones, text))
    r = one_case(memhp, h, 'udev: race with auto_online_blocks', 'online_movable', 'memhp_default_state=online')
    if r:
        states, zones, text = r
        h['check']('udev: with auto_online_blocks=online the kernel wins: the rule sees "online", '
                   'writes nothing, the blocks stay in ZONE_NORMAL',
                   states == ['online', 'online'] and zones == ['Normal', 'Normal'] and
                   'writing' not in text and text.count('rc=0') == 2, '%s %s\n%s' % (states, zones, text))
