#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Replay session.txt against `memhp serve --qmp` and compare each answer with
QEMU 7.2's, recorded in recorded.txt by record.py.

    python3 tests/qemu/check.py build/memhp

Prints "ok - ..." / "not ok - ..." per step and "N passed, N failed" last.
QEMU's lists (help, info, object_add/device_add help, query-commands) name
everything QEMU has; memhp must print exactly QEMU's entries for the
commands, info subcommands, types and devices it implements, in QEMU's order
and words. One answer differs by design: QEMU ran without a guest, so no
_OST was ever evaluated; memhp's Linux guest finished each DIMM's insert with
_OST(DEVICE_CHECK=1, success=0), as acpi_device_hotplug() does on a real
guest, and query-acpi-ospm-status reports that."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'tools'))
from qmp import QMP  # noqa: E402
from record import MACHINE, SESSIONS, cmdline_cases, run_refusal, run_session  # noqa: E402

HMP_COMMANDS = {'device_add', 'device_del', 'help|?', 'info', 'object_add', 'object_del', 'quit|q',
                'qom-get', 'qom-list', 'qom-set'}
INFO_COMMANDS = {'balloon', 'memdev', 'memory-devices', 'memory_size_summary', 'numa',
                 'status', 'version'}
OBJECT_TYPES = {'memory-backend-ram'}
DEVICES = {'pc-dimm', 'virtio-mem-pci', 'nvdimm'}
QMP_COMMANDS = {'device_add', 'device_del', 'human-monitor-command', 'object-add', 'object-del',
                'qmp_capabilities', 'query-commands', 'query-memdev', 'query-memory-devices',
                'query-memory-size-summary', 'query-status', 'query-version', 'quit', 'qom-get',
                'qom-set', 'qom-list', 'query-acpi-ospm-status'}


def blocks(text):
    """(command line, answer lines) per step of a transcript"""
    out = []
    for line in text.split('\n')[:-1]:
        if line.startswith('(qemu) ') or line.startswith('-> ') or (line.startswith('<- ') and not out):
            out.append([line, []])
        else:
            out[-1][1].append(line)
    return out


def help_entries(lines, keep):
    """help's entries (a line and its tab-indented continuation) whose name memhp has"""
    out, take = [], False
    for line in lines:
        if not line.startswith('\t'):
            take = line.split(' ')[0] in keep
        if take:
            out.append(line)
    return out


def device_list(lines):
    out, cat = [], []
    for line in lines + ['']:
        if not line:
            if len(cat) > 1:
                out += ([''] if out else []) + cat
            cat = []
        elif line.endswith('devices:'):
            cat = [line]
        elif line.split('"')[1] in DEVICES:
            cat.append(line)
    return out


def expected(cmd, lines):
    """QEMU's answer restricted to what memhp models"""
    if cmd in ('(qemu) help', '(qemu) ?'):
        return help_entries(lines, HMP_COMMANDS)
    if cmd in ('(qemu) info', '(qemu) help info'):
        return [l for l in lines if l.split(' ')[1] in INFO_COMMANDS]
    if cmd == '(qemu) object_add help':
        return lines[:1] + [l for l in lines[1:] if l.strip() in OBJECT_TYPES]
    if cmd == '(qemu) device_add help':
        return device_list(lines)
    if cmd == '-> {"execute": "query-commands"}':
        r = json.loads(lines[0][3:])
        r['return'] = [c for c in r['return'] if c['name'] in QMP_COMMANDS]
        return ['<- ' + json.dumps(r)]
    if cmd == '-> {"execute": "query-acpi-ospm-status"}':
        r = json.loads(lines[0][3:])
        for s in r['return']:
            if 'device' in s:
                s['source'], s['status'] = 1, 0
        return ['<- ' + json.dumps(r)]
    return lines


def arrival(q, name, within):
    """the next event called name if it arrives within `within` seconds"""
    return q.wait_event(name, timeout=within)


def check_events(q, report):
    """Events QEMU raises only with a guest (none ran when recording): the
    expectations come from QEMU 7.2's code and are explained per check."""
    q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'ev-m', 'size': 268435456})
    q.cmd('device_add', {'driver': 'pc-dimm', 'id': 'ev-d', 'memdev': 'ev-m'})
    plug = arrival(q, 'ACPI_DEVICE_OST', 2)
    slot = plug['data']['info']['slot'] if plug else None
    # Linux's acpi_device_hotplug() ends the insert with _OST(DEVICE_CHECK=1, success=0);
    # QEMU's acpi_memory_hotplug_write() turns the _OST status write into the event.
    report('event: ACPI_DEVICE_OST after a DIMM insert (source 1, status 0)',
           plug is not None and plug['data'] == {'info': {'device': 'ev-d', 'slot': slot, 'slot-type': 'DIMM',
                                                          'source': 1, 'status': 0}}, plug)
    q.cmd('device_del', {'id': 'ev-d'})
    # acpi_bus_notify() answers an eject request with _OST(EJECT_REQUEST=3, in progress=0x80),
    # the ejected slot's final _OST(3, success) comes after QEMU dropped the device: no "device".
    first = arrival(q, 'ACPI_DEVICE_OST', 2)
    report('event: ACPI_DEVICE_OST eject in progress (source 3, status 128)',
           first is not None and first['data'] == {'info': {'device': 'ev-d', 'slot': slot, 'slot-type': 'DIMM',
                                                            'source': 3, 'status': 128}}, first)
    last = arrival(q, 'ACPI_DEVICE_OST', 2)
    report('event: ACPI_DEVICE_OST eject success (source 3, status 0)',
           last is not None and last['data'] == {'info': {'slot': slot, 'slot-type': 'DIMM',
                                                           'source': 3, 'status': 0}}, last)
    q.cmd('object-add', {'qom-type': 'memory-backend-ram', 'id': 'ev-v', 'size': 1 << 30})
    r = q.cmd('device_add', {'driver': 'virtio-mem-pci', 'id': 'ev-vm', 'memdev': 'ev-v'})
    report('event: device_add virtio-mem-pci', r == {'return': {}}, r)
    q.events.clear()
    q.cmd('qom-set', {'path': 'ev-vm', 'property': 'requested-size', 'value': 512 << 20})
    # virtio_mem_pci_size_change_notify() per plug request; monitor_qapi_event_conf throttles
    # MEMORY_DEVICE_SIZE_CHANGE to one per second per qom-path: the first at once, the last
    # one of the window when it closes.
    data = {'id': 'ev-vm', 'qom-path': '/machine/peripheral/ev-vm'}
    ev1 = arrival(q, 'MEMORY_DEVICE_SIZE_CHANGE', 0.5)
    report('event: MEMORY_DEVICE_SIZE_CHANGE at once for the first plug',
           ev1 is not None and set(ev1['data']) == {'id', 'size', 'qom-path'} and
           all(ev1['data'][k] == v for k, v in data.items()), ev1)
    early = arrival(q, 'MEMORY_DEVICE_SIZE_CHANGE', 0.6)
    report('event: MEMORY_DEVICE_SIZE_CHANGE held back within the second', early is None, early)
    ev2 = arrival(q, 'MEMORY_DEVICE_SIZE_CHANGE', 1.5)
    report('event: MEMORY_DEVICE_SIZE_CHANGE with the final size when the window closes',
           ev2 is not None and ev2['data'] == dict(data, size=512 << 20), ev2)
    more = arrival(q, 'MEMORY_DEVICE_SIZE_CHANGE', 1.2)
    report('event: MEMORY_DEVICE_SIZE_CHANGE no more events afterwards', more is None, more)


def start(memhp, extra, d):
    sock = os.path.join(d, 'qmp.sock')
    err = open(os.path.join(d, 'stderr'), 'w+')
    p = subprocess.Popen([memhp, 'serve', '--qmp', sock] + MACHINE + extra, stdout=subprocess.DEVNULL,
                         stderr=err)
    for _ in range(400):
        if os.path.exists(sock) or p.poll() is not None:
            break
        time.sleep(0.05)
    err.seek(0)
    why = err.read()
    err.close()
    return p, sock, why


def connect(sock):
    """QMP on sock; the file exists from bind() a moment before listen()"""
    for _ in range(100):
        try:
            return QMP(sock)
        except ConnectionRefusedError:
            time.sleep(0.05)
    return QMP(sock)


def stop(p):
    if p.poll() is None:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def compare(want, got, report):
    if len(want) != len(got):
        report('%d recorded steps, %d replayed (re-record with record.py)' % (len(want), len(got)), False, '')
    for (wcmd, wlines), (gcmd, glines) in zip(want, got):
        name = wcmd if not wcmd.startswith('<- ') else 'QMP greeting'
        exp = [wcmd if wcmd.startswith('<- ') else None] + expected(wcmd, wlines)
        act = [gcmd if gcmd.startswith('<- ') else None] + glines
        same = exp == act and (wcmd == gcmd or wcmd.startswith('<- '))
        report(name, same, '\n'.join(['- ' + l[:300] for l in exp[1:]] + ['+ ' + l[:300] for l in act[1:]]))


def main():
    memhp = sys.argv[1]
    results = []

    def report(name, cond, detail):
        results.append((name, cond, detail))

    for session, extra, recorded in SESSIONS:
        d = tempfile.mkdtemp(prefix='memhp-qemu.')
        p, sock, why = start(memhp, extra, d)
        try:
            if 'built without' in why or 'jansson' in why:
                print('skip - qemu: memhp serve --qmp: ' + why.strip())
                print('0 passed, 0 failed')
                return 0
            q = connect(sock)
            greeting = json.dumps(q.greeting)
            q.negotiate()
            got = blocks('<- ' + greeting + '\n' + run_session(q, os.path.join(HERE, session)))
            if session == 'session.txt':
                q.events.clear()
                check_events(q, report)
            q.cmd('quit')
        finally:
            stop(p)
            shutil.rmtree(d, ignore_errors=True)
        with open(os.path.join(HERE, recorded)) as f:
            compare(blocks(f.read()), got, report)

    # command lines refused in QEMU's words (memhp shell creates the machine as QEMU would)
    with open(os.path.join(HERE, 'recorded-cmdline.txt')) as f:
        want = f.read().split('$ ')[1:]
    for args, w in zip(cmdline_cases(), want):
        got = run_refusal([memhp, 'shell'], args)[2:]
        report('command line ' + ' '.join(args), got == w, '- %s+ %s' % (w, got))

    passed = failed = 0
    for name, cond, detail in results:
        if cond:
            passed += 1
            print('ok - qemu: ' + name)
        else:
            failed += 1
            print('not ok - qemu: %s\n%s' % (name, '\n'.join('    ' + l for l in str(detail).split('\n'))))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
