#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The memhp program as a user meets it (make check):

  - util-linux's conventions: --help on stdout with exit 0, --version, --opt=value,
    getopt_long()'s "unrecognized option" with "Try 'memhp --help' ..." (exit 1);
  - memhp run lists every line it cannot run; --strict fails on unknown commands;
  - QEMU command lines: -qmp unix:PATH,server=on,wait=off (and server,nowait) opens QMP
    in memhp shell and memhp serve, -monitor stdio gives serve QEMU's monitor, options
    QEMU knows and memhp does not model are refused by name;
  - memhp shell through a pseudo-terminal: Ctrl-C drops the line, Ctrl-D ends with a
    newline, Tab completes guest paths, monitor commands and ids, history persists in
    $XDG_STATE_HOME/memhp/history, and a bare monitor command suggests "(qemu)";
  - progress on stderr for a long command, on a terminal only;
  - memhp serve on a mount left by a killed server says to run fusermount3 -u.

    python3 tests/tools/cli.py build/memhp        ("N passed, N failed" last)"""

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMP  # noqa: E402

MACHINE = ['-m', '1G,slots=4,maxmem=8G', '-smp', '2']
passed = failed = 0


def check(name, cond, detail=''):
    global passed, failed
    if cond:
        passed += 1
        print('ok - cli: ' + name)
    else:
        failed += 1
        print('not ok - cli: ' + name)
        for line in str(detail).splitlines()[:20]:
            print('    ' + line)


def run(memhp, args, stdin=''):
    r = subprocess.run([memhp] + args, input=stdin, capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout, r.stderr


def test_conventions(memhp, tmp):
    for sub in ([], ['run'], ['shell'], ['serve'], ['monitor'], ['compare']):
        rc, out, err = run(memhp, sub + ['--help'])
        check('%s --help: usage on stdout, exit 0' % ' '.join(['memhp'] + sub),
              rc == 0 and out.startswith('usage: ') and err == '', (rc, out[:200], err))
        rc, out, err = run(memhp, sub + ['--version'])
        check('%s --version' % ' '.join(['memhp'] + sub), rc == 0 and out.startswith('memhp '), (rc, out, err))
        rc, out, err = run(memhp, sub + ['--x'])
        check('%s --x: unrecognized option' % ' '.join(['memhp'] + sub),
              rc == 1 and out == '' and err == "memhp: unrecognized option '--x'\n"
              "Try 'memhp --help' for more information.\n", (rc, out, err))
    rc, out, err = run(memhp, ['serve', '--mount'])
    check("serve --mount: option '--mount' requires an argument",
          rc == 1 and err.startswith("memhp: option '--mount' requires an argument\n"), (rc, err))
    rc, out, err = run(memhp, ['run', '--trace=yes', 'x.scn'])
    check("run --trace=yes: doesn't allow an argument",
          rc == 1 and err.startswith("memhp: option '--trace' doesn't allow an argument\n"), (rc, err))

    bad = os.path.join(tmp, 'bad.scn')
    with open(bad, 'w') as f:
        f.write('qemu -m 1G\nbad one\n$ echo x\nbad two\n')
    rc, out, err = run(memhp, ['run', bad])
    check('run: every line it cannot run is listed, exit 2',
          rc == 2 and out == '' and err.count('cannot run line') == 2 and ':2:' in err and ':4:' in err, (rc, err))
    typo = os.path.join(tmp, 'typo.scn')
    with open(typo, 'w') as f:
        f.write('qemu -m 1G,slots=2,maxmem=4G\n(qemu) inf\n$ lsmme\n$ echo done\n')
    rc, out, err = run(memhp, ['run', typo])
    check('run: unknown commands are transcript lines (exit 0 without --strict)', rc == 0, (rc, err))
    rc, out, err = run(memhp, ['run', '--strict', typo])
    check('run --strict: each unknown command is listed, exit 3',
          rc == 3 and out.endswith('done\n') and ":2: unknown command: 'inf'" in err and
          ':3: sh: lsmme: not found' in err, (rc, out, err))


def test_run_quit(memhp, tmp):
    """HMP quit ends the machine as QEMU's does: the transcript stops there, exit 0, what follows
    is not run and stderr says so"""
    scn = os.path.join(tmp, 'quit.scn')
    with open(scn, 'w') as f:
        f.write('qemu -m 1G,slots=4,maxmem=8G\n(qemu) info status\n(qemu) q x\n(qemu) quit\n'
                '(qemu) info status\n$ echo after\n')
    rc, out, err = run(memhp, ['run', scn])
    check('run: (qemu) quit ends the transcript there, exit 0',
          rc == 0 and out == 'qemu -m 1G,slots=4,maxmem=8G\n(qemu) info status\nVM status: running\n'
          '(qemu) q x\nquit: extraneous characters at the end of line\nTry "help quit" for more information\n'
          '(qemu) quit\n', (rc, out, err))
    check('run: the lines after quit are named on stderr as not run',
          err == 'memhp: %s:4: the machine quit here; 2 lines after it were not run (from line 5)\n' % scn,
          err)
    with open(scn, 'w') as f:
        f.write('qemu -m 1G,slots=4,maxmem=8G\n(qemu) q\n')
    rc, out, err = run(memhp, ['run', scn])
    check('run: (qemu) q as the last line: no warning', rc == 0 and err == '' and out.endswith('(qemu) q\n'),
          (rc, out, err))
    # a property QEMU's virtio-mem-pci has (device_add virtio-mem-pci,help) that memhp does not model
    rc, out, err = run(memhp, ['shell'] + MACHINE, stdin='(qemu) object_add memory-backend-ram,id=v,size=1G\n'
                       '(qemu) device_add virtio-mem-pci,id=x,memdev=v,prealloc=on\n')
    check('shell: a virtio-mem-pci property QEMU has and memhp does not model is refused as such',
          out == "Error: memhp: property 'virtio-mem-pci.prealloc' is not modelled\n", (rc, out, err))
    rc, out, err = run(memhp, ['shell'] + MACHINE, stdin='(qemu) quit  \n(qemu) info status\n')
    check('shell: (qemu) quit with trailing blanks ends the session', rc == 0 and out == '', (rc, out, err))


def wait_socket(path, p, t=20):
    end = time.time() + t
    while time.time() < end and not os.path.exists(path) and p.poll() is None:
        time.sleep(0.05)
    return os.path.exists(path)


def test_qemu_options(memhp, tmp):
    for form in ('server=on,wait=off', 'server,nowait'):
        for sub in ('shell', 'serve'):
            sock = os.path.join(tmp, 'q-%s.sock' % sub)
            p = subprocess.Popen([memhp, sub] + MACHINE + ['-display', 'none', '-nographic', '-qmp',
                                 'unix:%s,%s' % (sock, form)], stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            ok = wait_socket(sock, p)
            r = None
            if ok:
                q = QMP(sock)
                q.negotiate()
                r = q.cmd('query-status')
                q.cmd('quit')
                q.close()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            check('%s -qmp unix:S,%s: QMP answers, quit ends it' % (sub, form),
                  ok and r == {'return': {'status': 'running', 'singlestep': False, 'running': True}} and
                  p.returncode is not None, (ok, r, p.stderr.read().decode()[:300]))
    p = subprocess.run([memhp, 'serve'] + MACHINE + ['-monitor', 'stdio'], input='info status\nquit\n',
                       capture_output=True, text=True, timeout=60)
    check('serve -monitor stdio: QEMU\'s banner, prompt and answers; quit ends it',
          p.stdout == "QEMU 7.2.22 monitor - type 'help' for more information\n(qemu) VM status: running\n(qemu) ",
          (p.returncode, p.stdout, p.stderr))
    for args in (['-vnc', ':1'], ['-S'], ['-hda', 'x.img'], ['-display', 'gtk'], ['-cpu', 'host'],
                 ['-machine', 'pc,hmat=on'], ['-qmp', 'tcp:localhost:4444,server=on,wait=off']):
        rc, out, err = run(memhp, ['shell'] + MACHINE + args)
        check('shell %s: refused by name' % ' '.join(args),
              rc == 1 and err.startswith('qemu-system-x86_64: %s' % ' '.join(args)) and
              ('not modelled' in err or 'memhp' in err), (rc, err))
    for args in (['-cpu', 'qemu64,+x2apic'], ['-enable-kvm'], ['-accel', 'tcg'], ['-machine', 'pc,accel=kvm'],
                 ['-nodefaults', '-no-reboot'], ['-machine', 'pc,nvdimm=on']):
        rc, out, err = run(memhp, ['shell'] + MACHINE + args, stdin='(qemu) info status\n')
        check('shell %s: accepted' % ' '.join(args), rc == 0 and out == 'VM status: running\n', (rc, out, err))


class Pty:
    def __init__(self, memhp, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update(env)
            os.execv(memhp, [memhp, 'shell'] + MACHINE)
        self.out = b''
        self.read_until(b'(memhp) ')

    def read_until(self, token, t=20):
        end = time.time() + t
        start = len(self.out)
        while time.time() < end and token not in self.out[start:]:
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    d = os.read(self.fd, 65536)
                except OSError:
                    return False
                if not d:
                    return False
                self.out += d
        return token in self.out[start:]

    def send(self, data, sync=True):
        """type data, then a marker line whose output shows everything before it was done"""
        mark = len(self.out)
        os.write(self.fd, data)
        if sync:
            self.n = getattr(self, 'n', 0) + 1
            os.write(self.fd, b'echo SYNC%d\r' % self.n)
            self.read_until(b'\nSYNC%d\r\n(memhp) ' % self.n)
        return self.out[mark:]

    def settle(self, t=5):
        """wait until the shell is blocked reading the terminal again, as it is between a person's
        keys: libedit changes the terminal's mode around each key it handles, and a ^C typed in
        that instant can be lost (seen once in ten runs on a loaded machine)"""
        end, quiet = time.time() + t, 0
        while time.time() < end and quiet < 3:
            try:
                with open('/proc/%d/wchan' % self.pid) as f:
                    w = f.read()
            except OSError:
                return
            quiet = quiet + 1 if ('poll' in w or 'select' in w) else 0
            time.sleep(0.02)

    def wait(self, t=20):
        end = time.time() + t
        while time.time() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.read_until(b'\0', 0.5)	# what it wrote before it ended
                return st
            self.read_until(b'\0', 0.2)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None


def test_pty(memhp, tmp):
    env = {'XDG_STATE_HOME': os.path.join(tmp, 'state'), 'TERM': 'dumb'}
    t = Pty(memhp, env)
    t.send(b'echo typed', sync=False)
    t.read_until(b'typed', 5)
    # wait for the new prompt before typing on: a line typed while the shell is still
    # handling SIGINT is echoed by the terminal ahead of the prompt (a slow ASan build showed it)
    mark = len(t.out)
    t.settle()
    os.write(t.fd, b'\x03')
    t.read_until(b'^C\r\n(memhp) ', 20)
    got = t.out[mark:]
    check('pty: Ctrl-C drops the line and shows a new prompt', b'^C\r\n(memhp) ' in got, got)
    got = t.send(b'echo after\r')
    check('pty: the machine lives on after Ctrl-C', b'after\r\n' in got and b'typed' not in got, got)
    got = t.send(b'cat /sys/devices/system/memory/memory0/sta\t\r')
    check('pty: Tab completes a guest path (from the guest\'s files)', b'online\r\n' in got, got)
    got = t.send(b'ls /sys/devices/system/memory/auto_o\t\r')
    check('pty: ... a guest file the host does not have',
          b'auto_online_blocks' in got, got)
    t.send(b'(qemu) object_add memory-backend-ram,id=mem1,size=128M\r')
    got = t.send(b'(qemu) device_ad\tpc-dimm,id=dimm1,memdev=mem1\r')
    got = t.send(b'(qemu) info memory-d\t\r')
    check('pty: Tab completes monitor commands and info subcommands', b'dimm1' in got, got)
    got = t.send(b'(qemu) device_del dim\t\r')
    got = t.send(b'(qemu) info memory-devices\r')
    check('pty: Tab completes a DIMM id for device_del', b'dimm1' not in got, got)
    # QEMU's device_add_completion()/object_add_completion() complete the type (and add a space);
    # property names and a memdev='s backend are memhp's extension, with no space inside the options
    got = t.send(b'(qemu) device_add virtio-mem-p\t\x08,help\r')
    check('pty: Tab completes a device type for device_add', b'virtio-mem-pci options:' in got, got)
    got = t.send(b'(qemu) object_add memory-backend-ram,id=back2,si\t128M\r(qemu) info memdev\r')
    check('pty: Tab completes an object property for object_add', b'memory backend: back2' in got, got)
    got = t.send(b'(qemu) device_add pc-dimm,id=dimm2,memd\tba\t\r(qemu) info memory-devices\r')
    check('pty: Tab completes a device property and a memdev for device_add',
          b'[dimm]: "dimm2"' in got and b'memdev: /objects/back2' in got, got)
    t.send(b'(qemu) device_del dimm2\r')
    got = t.send(b'info memory-devices\r')
    check('pty: a monitor command at the guest prompt suggests (qemu)',
          b'type "(qemu) info memory-devices"' in got, got)
    got = t.send(b'echo abc\x02\x04\r')
    check('pty: Ctrl-D within a line deletes the character under the cursor (bash\'s delete-char)',
          b'\r\nab\r\n' in got, got)
    last = t.n
    mark = len(t.out)
    os.write(t.fd, b'\x04')
    st = t.wait()
    # bash prints the newline and nothing else: no "^D" before it
    check('pty: Ctrl-D ends the session on a new line (no ^D shown), exit 0',
          st is not None and os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0 and t.out[mark:] == b'\r\n',
          (st, t.out[mark - 40:]))
    hist = os.path.join(tmp, 'state', 'memhp', 'history')
    check('pty: history saved in $XDG_STATE_HOME/memhp/history',
          os.path.exists(hist) and 'after' in open(hist, errors='replace').read(), hist)
    t = Pty(memhp, env)
    # No marker typed ahead here: the terminal echoes typed-ahead text at once, between the
    # recalled line and its output, on a busy machine.
    mark = len(t.out)
    t.send(b'\x1b[A\r', sync=False)
    came = t.read_until(b'\nSYNC%d\r\n(memhp) ' % last)
    check('pty: history comes back in the next session', came and b'echo SYNC%d' % last in t.out[mark:],
          t.out[mark:])
    os.write(t.fd, b'\x04')
    t.wait()


def test_progress(memhp, tmp):
    """a device_add that onlines hundreds of GiB runs for seconds: a status line on a terminal only"""
    def scenario(size):
        scn = os.path.join(tmp, 'big-%s.scn' % size)
        with open(scn, 'w') as f:
            f.write('qemu -m 1G,slots=4,maxmem=600G -append memhp_default_state=online\n'
                    '(qemu) object_add memory-backend-ram,id=m1,size=%s\n'
                    '(qemu) device_add pc-dimm,id=d1,memdev=m1\n' % size)
        return scn
    start = time.time()
    rc, out, err = run(memhp, ['run', scenario('16G')])
    took16 = time.time() - start
    check('progress: none when stderr is not a terminal', rc == 0 and err == '' and 'memhp:' not in out,
          (rc, err[:200]))
    # Enough memory for about 2.5 s in this build: a debug build (invariants checked after every
    # operation) or a sanitizer build takes far longer per GiB than a plain one.
    gib = 16
    while gib < 512 and took16 * gib / 16 < 2.5:
        gib *= 2
    start = time.time()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(memhp, [memhp, 'run', scenario('%dG' % gib)])
    got = b''
    while True:
        r, _, _ = select.select([fd], [], [], 120)
        if not r:
            break
        try:
            d = os.read(fd, 65536)
        except OSError:
            break
        if not d:
            break
        got += d
    os.waitpid(pid, 0)
    took = time.time() - start
    if took < 1.5:
        print('skip - cli: progress on a terminal: the command took %.1f s here' % took)
        return
    check('progress: on a terminal, a command past one second shows a status line, erased at the end',
          b'\rmemhp: (qemu) device_add pc-dimm,id=d1,memdev=m1 ... 1 s\x1b[K' in got and
          got.endswith(b'\r\x1b[K'), got[-200:])


def test_stale_mount(memhp, tmp):
    mnt = os.path.join(tmp, 'mnt')
    os.mkdir(mnt)
    err = open(os.path.join(tmp, 'serve.err'), 'w+')
    p = subprocess.Popen([memhp, 'serve', '--mount', mnt] + MACHINE, stdout=subprocess.DEVNULL, stderr=err)
    end = time.time() + 20
    while time.time() < end and p.poll() is None:
        err.seek(0)
        if 'ready' in err.read():
            break
        time.sleep(0.05)
    err.seek(0)
    if p.poll() is not None or 'ready' not in err.read():
        p.kill()
        p.wait()
        err.seek(0)
        print('skip - cli: stale mount: memhp serve --mount cannot mount here: ' + err.read().strip()[:200])
        return
    p.kill()	# SIGKILL: the mount stays, its server gone
    p.wait()
    rc, out, e = run(memhp, ['serve', '--mount=' + mnt] + MACHINE)
    check('serve on a stale mount says to run fusermount3 -u DIR',
          rc == 1 and e == 'memhp serve: %s: Transport endpoint is not connected: a mount left by a server '
          'that was killed; run fusermount3 -u %s\n' % (mnt, mnt), (rc, e))
    for cmd in (['fusermount3', '-u', mnt], ['umount', '-l', mnt]):
        if subprocess.run(cmd, stderr=subprocess.DEVNULL).returncode == 0:
            break


def main():
    memhp = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix='memhp-cli.')
    try:
        test_conventions(memhp, tmp)
        test_run_quit(memhp, tmp)
        # the QMP tests need memhp serve built with jansson
        rc, out, err = run(memhp, ['serve', '--qmp', os.path.join(tmp, 'probe.sock'), '-m', 'x'])
        if 'built without' in err:
            print('skip - cli: -qmp: memhp built without jansson')
        else:
            test_qemu_options(memhp, tmp)
        test_pty(memhp, tmp)
        test_progress(memhp, tmp)
        if os.path.exists('/dev/fuse'):
            test_stale_mount(memhp, tmp)
        else:
            print('skip - cli: stale mount: no /dev/fuse')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
