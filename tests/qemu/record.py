#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Record QEMU 7.2's answers to session.txt into recorded.txt.

    python3 tests/qemu/record.py [QEMU-BINARY]

QEMU runs without a guest (-S would also do; SeaBIOS finds nothing to boot)
with the machine memhp models by default for these tests. Each step is
written as "(qemu) LINE" followed by the monitor's text (HMP, through
human-monitor-command, "\r\n" turned into "\n"), or "-> JSON" followed by
"<- JSON" (QMP). check.py replays the same steps against memhp serve."""

import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tools'))
from qmp import QMP  # noqa: E402

MACHINE = ['-M', 'pc', '-m', '1G,slots=4,maxmem=8G', '-smp', '2']


def steps(path):
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            kind, rest = line.split(' ', 1)
            yield kind, rest


def run_session(q, path):
    """The transcript of session.txt against the QMP connection q (negotiated)."""
    out = []
    for kind, rest in steps(path):
        if kind == 'hmp':
            r = q.cmd('human-monitor-command', {'command-line': rest})
            out.append('(qemu) ' + rest)
            text = r.get('return', r)
            if not isinstance(text, str):
                text = 'QMP: ' + json.dumps(text) + '\n'
            text = text.replace('\r\n', '\n')
            out.extend(text.split('\n')[:-1] if text.endswith('\n') else text.split('\n'))
        else:
            out.append('-> ' + rest)
            out.append('<- ' + json.dumps(q.raw(json.loads(rest))))
    return '\n'.join(out) + '\n'


# session file -> (extra QEMU options, recording)
SESSIONS = [('session.txt', [], 'recorded.txt'),
            ('session-no-acpi.txt', ['-no-acpi'], 'recorded-no-acpi.txt'),
            ('session-numbers.txt', [], 'recorded-numbers.txt'),
            ('session-virtio-mem.txt', ['-object', 'memory-backend-ram,id=vm0,size=1G', '-device',
                                        'virtio-mem-pci,id=vmem0,memdev=vm0,requested-size=0',
                                        '-object', 'memory-backend-ram,id=dm0,size=128M,reserve=off',
                                        '-device', 'pc-dimm,id=dimm0,memdev=dm0',
                                        '-object', 'memory-backend-ram,id=hn0,size=64M,host-nodes=0,'
                                        'policy=preferred,prealloc-threads=2,x-use-canonical-path-for-ramblock-id=on'],
             'recorded-virtio-mem.txt'),
            ('session-physbits.txt', ['-cpu', 'qemu64,phys-bits=47', '-m', '1G,slots=4,maxmem=64T'],
             'recorded-physbits.txt'),
            ('session-nvdimm.txt', ['-M', 'nvdimm=on'], 'recorded-nvdimm.txt')]


def cmdline_cases():
    with open(os.path.join(HERE, 'cmdline.txt')) as f:
        return [l.split() for l in f.read().split('\n') if l and not l.startswith('#')]


def run_refusal(prog, args):
    """the first line of stderr and the exit status of PROG MACHINE ARGS"""
    try:
        r = subprocess.run(prog + MACHINE + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return '$ ' + ' '.join(args) + '\n(still running after 20 s)\n'
    first = (r.stderr.splitlines() or [''])[0]
    return '$ %s\n%s\nexit %d\n' % (' '.join(args), first, r.returncode)


def record_session(qemu, session, extra):
    d = tempfile.mkdtemp(prefix='memhp-rec.')
    sock = os.path.join(d, 'qmp.sock')
    p = subprocess.Popen([qemu] + MACHINE + extra + ['-display', 'none', '-qmp',
                         'unix:%s,server=on,wait=off' % sock])
    try:
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        q = QMP(sock)
        greeting = json.dumps(q.greeting)
        q.negotiate()
        text = '<- ' + greeting + '\n' + run_session(q, os.path.join(HERE, session))
        q.cmd('quit')
    finally:
        p.wait(timeout=10)
        os.remove(sock) if os.path.exists(sock) else None
        os.rmdir(d)
    return text


def main():
    qemu = sys.argv[1] if len(sys.argv) > 1 else 'qemu-system-x86_64'
    for session, extra, out in SESSIONS:
        with open(os.path.join(HERE, out), 'w') as f:
            f.write(record_session(qemu, session, extra))
    with open(os.path.join(HERE, 'recorded-cmdline.txt'), 'w') as f:
        f.write(''.join(run_refusal([qemu, '-display', 'none'], a) for a in cmdline_cases()))


if __name__ == '__main__':
    main()
