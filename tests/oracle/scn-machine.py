#!/usr/bin/env python3
"""Run the shared oracle's scn.py with `-machine` allowed on the qemu line.

    scn-machine.py [--oracle DIR] FILE.scn [-o OUT.txt] [scn.py's other options]

The shared oracle (shared/oracle/scn.py, read-only) passes only the QEMU
options in its PASS_OPTS set to QEMU and refuses the others; scenarios of
QEMU's NVDIMM need `-machine pc,nvdimm=on`, which QEMU merges with the
oracle's own `-machine pc`. This wrapper loads that scn.py as a module, adds
'-machine' to PASS_OPTS and runs its main() with the remaining arguments, so
the recording is scn.py's own in everything else.

The oracle directory is --oracle DIR, else $MEMHP_ORACLE_DIR, else
../shared/oracle relative to the repository root.
"""
import importlib.util
import os
import sys


def oracle_dir(argv):
    """the oracle directory, with --oracle DIR taken out of argv"""
    for i, a in enumerate(argv):
        if a == '--oracle' and i + 1 < len(argv):
            d = argv[i + 1]
            del argv[i:i + 2]
            return d
        if a.startswith('--oracle='):
            del argv[i]
            return a[len('--oracle='):]
    if os.environ.get('MEMHP_ORACLE_DIR'):
        return os.environ['MEMHP_ORACLE_DIR']
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(repo, '..', 'shared', 'oracle')


def load_scn(directory):
    path = os.path.join(directory, 'scn.py')
    if not os.path.isfile(path):
        raise SystemExit('scn-machine.py: no scn.py in %s (use --oracle DIR or MEMHP_ORACLE_DIR)' % directory)
    spec = importlib.util.spec_from_file_location('scn', path)
    scn = importlib.util.module_from_spec(spec)
    sys.modules['scn'] = scn
    spec.loader.exec_module(scn)  # scn.py puts its own directory on sys.path for run.py
    return scn


def main():
    argv = sys.argv[1:]
    scn = load_scn(oracle_dir(argv))
    scn.PASS_OPTS.add('-machine')
    sys.argv = [sys.argv[0]] + argv
    scn.main()


if __name__ == '__main__':
    main()
