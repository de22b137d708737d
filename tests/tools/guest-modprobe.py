#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""guest-modprobe.py SOCKET MODULE: the guest's `modprobe MODULE` on a `memhp serve` machine.

libkmod runs a modprobe.d `install MODULE COMMAND` instead of inserting the
module into the running kernel; tests/tools/dax_tools.py points daxctl's
kmod insert of kmem or device_dax here, so the module is loaded into the
served guest rather than the host (memhp's QMP extension x-memhp-guest-shell).
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMP  # noqa: E402

q = QMP(sys.argv[1])
q.negotiate()
r = q.cmd('x-memhp-guest-shell', {'command-line': 'modprobe ' + sys.argv[2]})
out = r.get('return', '')
sys.stderr.write(out)
sys.exit(1 if 'error' in r or out else 0)
