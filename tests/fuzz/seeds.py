#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The seed corpora of the fuzzing harnesses, made from what tests/ holds.

seeds.py OUTDIR [--limit N]: OUTDIR/NAME/ for each harness (cmdline, hmp,
shell, scenario, compare, qmp, sysfs), taken from the scenarios and
transcripts of tests/golden, the QEMU sessions of tests/qemu, and the
hand-made seeds of tests/fuzz/corpus/NAME/. --limit keeps the first N
(by name) of each, for make check's replay.
"""
import glob
import hashlib
import json
import os
import re
import shutil
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def put(out, name, data):
    if isinstance(data, str):
        data = data.encode()
    os.makedirs(os.path.join(out, name), exist_ok=True)
    h = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, name, h), "wb") as f:
        f.write(data)


def main():
    out = sys.argv[1]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 0
    shutil.rmtree(out, ignore_errors=True)
    seeds = {}

    def add(name, data):
        seeds.setdefault(name, []).append(data)

    scns = sorted(glob.glob(os.path.join(ROOT, "tests/golden/**/*.scn"), recursive=True))
    for scn in scns:
        text = open(scn, encoding="utf-8", errors="replace").read()
        add("scenario", text)
        lines = text.splitlines()
        add("cmdline", "".join(l[5:] for l in lines if l.startswith("qemu ")))
        mon = [l[7:] for l in lines if l.startswith("(qemu) ")]
        if mon:
            add("hmp", "\n".join(mon) + "\n")
        sh = [l[2:] for l in lines if l.startswith("$ ")]
        if sh:
            add("shell", "\n".join(sh) + "\n")
        # `echo VALUE > FILE` lines as the sysfs harness's writes
        writes = []
        for l in sh:
            m = re.match(r"echo\s+(\S+)\s*>\s*(/(?:sys|proc)/\S+)\s*$", l)
            if m:
                writes.append("%s\t%s\n" % (m.group(2), m.group(1).strip("'\"")))
        if writes:
            add("sysfs", "".join(writes))
    txts = sorted(glob.glob(os.path.join(ROOT, "tests/golden/**/*.txt"), recursive=True))
    for i, txt in enumerate(txts):
        a = open(txt, "rb").read()
        b = open(txts[(i + 1) % len(txts)], "rb").read()
        add("compare", a + b"\0" + a)
        add("compare", a + b"\0" + b)
    for sess in sorted(glob.glob(os.path.join(ROOT, "tests/qemu/session*.txt"))):
        msgs = []
        for l in open(sess, encoding="utf-8"):
            l = l.rstrip("\n")
            if l.startswith("qmp "):
                msgs.append(l[4:])
            elif l.startswith("hmp "):
                msgs.append(json.dumps({"execute": "human-monitor-command",
                                        "arguments": {"command-line": l[4:]}}))
        for i in range(0, len(msgs), 16):
            add("qmp", '{"execute": "qmp_capabilities"}\n' + "\n".join(msgs[i:i + 16]) + "\n")
    for d in sorted(glob.glob(os.path.join(ROOT, "tests/fuzz/corpus/*"))):
        for f in sorted(glob.glob(os.path.join(d, "*"))):
            add(os.path.basename(d), open(f, "rb").read())
    for name, items in seeds.items():
        if limit and name == "scenario":
            # scenarios run whole machines (and make check runs them all as goldens): the shortest
            items = sorted(items, key=len)[:max(1, limit // 4)]
        elif limit:
            step = max(1, len(items) // limit)
            items = items[::step][:limit]
        for data in items:
            put(out, name, data)


main()
