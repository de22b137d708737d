#!/usr/bin/env python3
"""The picture of physical memory (memhp run --html) against sysfs.

    check.py MEMHP [--chromium] SCENARIO...

Each scenario runs with --html, with a line added after each of its lines
that prints every memory block's state, valid_zones and node as the guest
reads them in sysfs. The picture in force at that point (the last one the
report drew) must show exactly those blocks, each with the state, zones and
node sysfs gives, coloured as the legend says for its state and zone, and
each DIMM and virtio-mem device of `info memory-devices` as a run of its own.

Without --chromium the SVG is parsed with Python's XML parser. With
--chromium the report is laid out by headless Chromium (--dump-dom after
the page's script ran): each block must be drawn (a non-empty box) with the
computed fill of its legend swatch. Prints "ok - ..." / "not ok - ..." lines,
or "skip - ..." when chromium is absent; exits 1 on a failure.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

DUMP = ('$ for b in /sys/devices/system/memory/memory*; do '
        'echo $b $(cat $b/state) $(cat $b/valid_zones) $(ls -d $b/node*); done')
SVG_NS = '{http://www.w3.org/2000/svg}'
failures = 0


def report(ok, name, why=''):
    global failures
    if ok:
        print('ok - ' + name)
    else:
        failures += 1
        print('not ok - ' + name)
        for line in why.splitlines()[:20]:
            print('    ' + line)


def sysfs_blocks(text):
    """The dump line's output: {nr: (state, valid_zones, node)}."""
    blocks = {}
    for line in text.splitlines():
        f = line.split()
        m = re.match(r'/sys/devices/system/memory/memory(\d+)$', f[0]) if f else None
        if not m or len(f) < 4:
            continue
        node = re.search(r'/node(\d+)$', f[-1])
        blocks[int(m.group(1))] = (f[1], ' '.join(f[2:-1]), int(node.group(1)) if node else -1)
    return blocks


def run_report(memhp, scn, tmp):
    """Run SCENARIO with the dump after each line; the report's path and its steps."""
    lines, dumped = [], os.path.join(tmp, os.path.basename(scn))
    with open(scn) as f:
        for line in f:
            line = line.rstrip('\n')
            lines.append(line)
            if line.startswith('qemu ') or line.startswith('(qemu) ') or line.startswith('$ '):
                lines.append(DUMP)
    with open(dumped, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    html = dumped + '.html'
    subprocess.run([memhp, 'run', '--html', html, dumped], check=True, stdout=subprocess.DEVNULL)
    return html


def steps_of(html_text):
    """[(step, line, output, svg text or None)] in order, from the report."""
    steps = []
    for m in re.finditer(r'<div class="step" id="step-(\d+)">\n<pre class="line">(.*?)</pre>\n'
                         r'(?:<pre class="out">(.*?)</pre>\n)?(<figure.*?</figure>\n)?</div>', html_text, re.S):
        svg = re.search(r'<svg.*?</svg>', m.group(4), re.S).group(0) if m.group(4) else None
        unescape = lambda s: (s or '').replace('&lt;', '<').replace('&gt;', '>').replace('&quot;', '"').replace('&amp;', '&')
        steps.append((int(m.group(1)), unescape(m.group(2)), unescape(m.group(3)), svg))
    return steps


def compare(svg, truth):
    """What differs between a picture and the sysfs dump ('' when they agree)."""
    legend = {r.get('data-zone'): r.get('fill') for r in svg.iter(SVG_NS + 'rect') if r.get('class') == 'legend'}
    drawn, why = {}, ''
    for r in svg.iter(SVG_NS + 'rect'):
        if r.get('class') != 'block':
            continue
        nr = int(r.get('data-block'))
        if nr in drawn:
            why += 'memory%d drawn twice\n' % nr
        drawn[nr] = (r.get('data-state'), r.get('data-valid-zones'), int(r.get('data-node')))
        state, zones = drawn[nr][0], drawn[nr][1]
        want = 'offline' if state != 'online' else r.get('data-fill-zone')
        if state == 'online' and ' ' not in zones and zones != 'none' and r.get('data-fill-zone') != zones:
            why += 'memory%d: fill zone %s, valid_zones %s\n' % (nr, r.get('data-fill-zone'), zones)
        if r.get('fill') != legend.get(want):
            why += 'memory%d: fill %s, legend %s: %s\n' % (nr, r.get('fill'), want, legend.get(want))
    for nr in sorted(set(drawn) | set(truth)):
        if drawn.get(nr) != truth.get(nr):
            why += 'memory%d: picture %s, sysfs %s\n' % (nr, drawn.get(nr), truth.get(nr))
    return why


def check_xml(name, steps):
    """Each dump against the picture in force: blocks, attributes, colours."""
    svg, checked, why = None, 0, ''
    for step, line, out, fig in steps:
        if fig:
            svg = ET.fromstring(fig)
        if line != DUMP or svg is None:
            continue
        truth = sysfs_blocks(out)
        w = compare(svg, truth)
        why += ''.join('step %d: %s\n' % (step, l) for l in w.splitlines())
        checked += 1
    report(checked and not why, '%s: the picture agrees with sysfs at all %d steps' % (name, checked), why)
    # the comparison can fail: one block's state changed in the last picture is found
    if svg is not None:
        r = next(r for r in svg.iter(SVG_NS + 'rect') if r.get('class') == 'block')
        r.set('data-state', 'offline' if r.get('data-state') == 'online' else 'online')
        report(compare(svg, truth) != '', '%s: a picture that disagrees with sysfs is found' % name)


def check_devices(name, steps, memhp_out):
    """The last picture has a run per device of the last `info memory-devices`."""
    ids = re.findall(r'^Memory device \[[^]]+\]: "(.*)"$', memhp_out, re.M)
    last = [fig for _, _, _, fig in steps if fig][-1]
    runs = [g.get('data-id') for g in ET.fromstring(last).iter(SVG_NS + 'g') if g.get('data-id') is not None]
    report(sorted(ids) == sorted(runs), '%s: one run per memory device %s' % (name, ids), 'runs: %s' % runs)


def check_chromium(name, html, steps):
    """Chromium lays the report out; every block is drawn with its legend colour."""
    chromium = shutil.which('chromium') or shutil.which('chromium-browser')
    if not chromium:
        print('skip - %s: chromium not found (apt-get install chromium)' % name)
        return
    with tempfile.TemporaryDirectory() as profile:
        p = subprocess.run([chromium, '--headless', '--disable-gpu', '--no-sandbox', '--user-data-dir=' + profile,
                            '--virtual-time-budget=5000', '--dump-dom', 'file://' + os.path.abspath(html)],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=120)
    m = re.search(r'<pre id="render-check">(.*?)</pre>', p.stdout, re.S)
    lines = m.group(1).split('\n') if m else []
    legend, blocks, why = {}, [], ''
    for line in lines:
        f = line.split(' ')
        if f[0] == 'legend':
            legend[(f[1], f[2])] = ''.join(f[3:])
        elif f[0] == 'block':
            blocks.append(f[1:])
    figures = [step for step, _, _, fig in steps if fig]
    expect = sum(len([r for r in ET.fromstring(fig).iter(SVG_NS + 'rect') if r.get('class') == 'block'])
                 for _, _, _, fig in steps if fig)
    if len(blocks) != expect:
        why += 'chromium reported %d blocks, the report has %d\n' % (len(blocks), expect)
    for step, nr, state, fill_zone, box, fill in blocks:
        want = legend.get((step, 'offline' if state != 'online' else fill_zone))
        if fill != want:
            why += 'step %s memory%s: drawn %s, legend %s\n' % (step, nr, fill, want)
        w, h = (int(v) for v in box.split('x'))
        if w < 10 or h < 10:
            why += 'step %s memory%s: drawn %s\n' % (step, nr, box)
    report(not why and blocks, '%s: chromium draws %d blocks in %d pictures in their legend colours'
           % (name, len(blocks), len(figures)), why or p.stdout[-2000:])


def main():
    args = sys.argv[1:]
    memhp = args.pop(0)
    chromium = '--chromium' in args
    scns = [a for a in args if a != '--chromium']
    with tempfile.TemporaryDirectory() as tmp:
        for scn in scns:
            name = os.path.basename(scn)
            html = run_report(memhp, scn, tmp)
            with open(html) as f:
                steps = steps_of(f.read())
            if chromium:
                check_chromium(name, html, steps)
                continue
            check_xml(name, steps)
            info = subprocess.run([memhp, 'run', '-'], input=open(scn).read() + '(qemu) info memory-devices\n',
                                  stdout=subprocess.PIPE, text=True).stdout
            check_devices(name, steps, info.split('(qemu) info memory-devices\n')[-1])
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
