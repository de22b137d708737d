"""Scenario generator of difftest: random but valid .scn files from a seed.

Each scenario is a machine (a QEMU command line) and a walk of the moves users
make on it: hot-add and remove DIMMs, online and offline blocks (hot-added and
boot ones) through `state` and `online`, run-time policy writes, notifier error
injection, memhog loads, with reads of the files the scenario format compares
after each step.

The generator must know which memory blocks exist and what state they are in
to make moves that mean something (online a block of the DIMM just added).
It asks memhp: it runs the scenario written so far with `memhp run` plus a few
probe lines, and reads the answer. A wrong answer from memhp only makes a
move less interesting (an offline of an already offline block); the scenario
stays valid, and the comparison with the real kernel shows the difference.
"""
import os
import random
import re
import subprocess
import tempfile

# Raised whenever a change makes a seed give another scenario, so that a
# recorded scenario's first line still says how to make it again.
# 1: baseline dumps of zoneinfo and meminfo only; 2: every node's meminfo and free -m too;
# 3: addr= moves (the region probe used addr=0, which QEMU reads as "not given");
# 4: memhog loads up to 1 GiB in all (each costs make check host memory and time, 3 builds over);
# 5: DIMMs cold-plugged on the qemu line, monitor reads (info memdev, info numa,
#    info memory_size_summary), auto_online_blocks and node directory reads, refused writes;
# 6: node state masks (has_memory, has_normal_memory...), a block's directory, phys_index,
#    and the firmware memory map (/sys/firmware/memmap) that hot-add and removal change.
GENERATOR_VERSION = 6

MIB = 1 << 20
GIB = 1 << 30

MEM = '/sys/devices/system/memory'
NODE = '/sys/devices/system/node'
PARAMS = '/sys/module/memory_hotplug/parameters'
INJECT = '/sys/kernel/debug/notifier-error-inject/memory/actions'


def size_str(mib):
    """QEMU's size syntax, in the unit a person would type."""
    if mib % 1024 == 0:
        return '%dG' % (mib // 1024)
    return '%dM' % mib


class ProbeHang(Exception):
    """memhp did not finish a probe run; args[0] is the scenario kept."""


class Probe:
    """memhp's view of a scenario prefix: transcript outputs per input line."""

    def __init__(self, memhp):
        self.memhp = memhp

    def run(self, lines):
        with tempfile.NamedTemporaryFile('w', suffix='.scn', delete=False) as f:
            f.write('\n'.join(lines) + '\n')
            path = f.name
        try:
            out = subprocess.run([self.memhp, 'run', path], capture_output=True,
                                 text=True, timeout=120).stdout
        except subprocess.TimeoutExpired:
            # A hang in memhp is a finding: keep the scenario that shows it.
            raise ProbeHang(path)
        os.unlink(path)
        return split_transcript(lines, out.split('\n'))


def split_transcript(inputs, out):
    """Output lines of each input line, matching the echoed lines in order."""
    result = []
    pos = 0
    for i, line in enumerate(inputs):
        while pos < len(out) and out[pos] != line:
            pos += 1
        pos += 1
        nxt = inputs[i + 1] if i + 1 < len(inputs) else None
        start = pos
        while pos < len(out) and out[pos] != nxt:
            pos += 1
        result.append([l for l in out[start:pos] if l != ''] if nxt is not None
                      else [l for l in out[start:] if l != ''])
    return result


class State:
    """What the generator believes about the guest, refreshed from memhp."""

    def __init__(self):
        self.block_mib = 128
        self.blocks = {}        # block number -> state
        self.boot_blocks = set()
        self.dimms = {}         # dimm id -> dict(memdev, addr, size, node)
        self.free_kib = 0
        self.region = None      # (start, end) of the device-memory region


class Generator:
    def __init__(self, seed, memhp, version=GENERATOR_VERSION):
        self.version = version
        self.seed = seed
        self.r = random.Random(seed)
        self.probe = Probe(memhp)
        self.lines = []
        self.st = State()
        self.nodes = 1
        self.node_has_mem = [True]
        self.slots = 0
        self.next_id = 1
        self.free_ids = []          # (dimm id, backend id) pairs reusable after removal
        self.backends = {}          # backend id -> plugged (dimm id) or None
        self.hogs = {}              # name -> size string
        self.inject_loaded = False
        self.inject_set = set()
        self.moves = set()

    # ---- the machine -------------------------------------------------
    def machine(self):
        r = self.r
        total = r.choice([512, 768, 1024, 1024, 1024, 1536, 2048, 2048, 3072, 3583, 3584,
                          4096, 4097, 6144, 8192, 12288, 16384, 33792, 65536, 66560])
        if total >= 32768 and r.random() < 0.5:
            total = r.choice([512, 1024, 2048, 4096])
        nodes = r.choices([1, 2, 3, 4], [55, 25, 12, 8])[0]
        if total < 1024 and nodes > 2:
            nodes = 2
        smp = r.choice([1, 2, 2, 2, 3, 4])
        self.nodes = nodes
        slots = r.choice([1, 2, 4, 4, 8, 8, 16, 32, 256])
        maxmem = total + r.choice([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536])
        self.slots = slots
        opts = ['-m %s,slots=%d,maxmem=%s' % (size_str(total), slots, size_str(maxmem)),
                '-smp %d' % smp]
        if nodes == 1:
            self.node_has_mem = [True]
            if total > 4096:
                opts.append('-object memory-backend-ram,id=r0,size=%s,reserve=off'
                            ' -numa node,nodeid=0,memdev=r0' % size_str(total))
                self.moves.add('machine-reserve-off')
        else:
            opts += self.numa_opts(total, nodes, smp)
        if self.version >= 5 and slots > 0 and r.random() < 0.25:
            opts += self.cold_dimms(maxmem - total)
        append = self.append_opts()
        if append:
            opts.append('-append "%s"' % ' '.join(append))
        self.moves.add('machine-nodes-%d' % nodes)
        self.lines.append('qemu ' + ' '.join(opts))

    def cold_dimms(self, room):
        """DIMMs present at power-on (-device pc-dimm), added by the guest's boot scan."""
        r = self.r
        opts = []
        for n in range(1, r.randint(1, min(2, self.slots)) + 1):
            mib = r.choice([128, 256, 512, 1024])
            if mib > room:
                break
            room -= mib
            spec = '-device pc-dimm,id=cd%d,memdev=c%d' % (n, n)
            if self.nodes > 1 and r.random() < 0.6:
                spec += ',node=%d' % r.randrange(self.nodes)
            opts.append('-object memory-backend-ram,id=c%d,size=%s %s' % (n, size_str(mib), spec))
            self.moves.add('dimm-cold-plugged')
        return opts

    def numa_opts(self, total, nodes, smp):
        r = self.r
        # Node 0 always has memory; others may be memoryless. A size that is not
        # a multiple of the block size puts a node boundary inside a block.
        with_mem = [True] + [r.random() < 0.8 for _ in range(nodes - 1)]
        n_mem = sum(with_mem)
        unit = r.choice([128, 128, 128, 64, 8])
        units = total // unit
        cuts = sorted(r.sample(range(1, units), n_mem - 1)) if n_mem > 1 and units > n_mem else []
        sizes, prev = [], 0
        for c in cuts + [units]:
            sizes.append((c - prev) * unit)
            prev = c
        sizes[-1] += total - units * unit
        if len(sizes) < n_mem:
            with_mem = [True] + [False] * (nodes - 1)
            sizes = [total]
        if unit != 128:
            self.moves.add('machine-node-boundary-in-block')
        reserve = ',reserve=off' if total > 4096 else ''
        # CPUs: every CPU in some node; some nodes may have none.
        cpu_nodes = list(range(nodes))
        if nodes > 1 and r.random() < 0.4:
            cpu_nodes = sorted(r.sample(range(nodes), max(1, min(smp, nodes - 1))))
            self.moves.add('machine-cpuless-node')
        cpu_nodes = cpu_nodes[:smp]
        assign = {n: [] for n in range(nodes)}
        for cpu in range(smp):
            assign[cpu_nodes[cpu % len(cpu_nodes)]].append(cpu)
        opts, objs = [], []
        si = 0
        self.node_has_mem = with_mem
        for n in range(nodes):
            spec = '-numa node,nodeid=%d' % n
            cpus = assign[n]
            if cpus:
                # QEMU's cpus= takes a range; keep each node's CPUs contiguous.
                cpus_s = '%d' % cpus[0] if len(cpus) == 1 else None
                if cpus_s is None:
                    if cpus == list(range(cpus[0], cpus[-1] + 1)):
                        cpus_s = '%d-%d' % (cpus[0], cpus[-1])
                    else:
                        cpus_s = None
                if cpus_s is not None:
                    spec += ',cpus=' + cpus_s
                else:
                    for c in cpus:
                        spec += ',cpus=%d' % c
            if with_mem[n]:
                objs.append('-object memory-backend-ram,id=r%d,size=%s%s'
                            % (n, size_str(sizes[si]), reserve))
                spec += ',memdev=r%d' % n
                si += 1
            else:
                self.moves.add('machine-memoryless-node')
            opts.append(spec)
        return objs + opts

    def append_opts(self):
        r = self.r
        out = []
        if r.random() < 0.35:
            out.append('memhp_default_state=' + r.choice(['online', 'online_kernel',
                                                          'online_movable', 'offline']))
        if r.random() < 0.12:
            out.append('movable_node')
        if r.random() < 0.15:
            out.append('memory_hotplug.memmap_on_memory=' + r.choice(['1', 'Y', '0']))
        if r.random() < 0.25:
            out.append('memory_hotplug.online_policy=' + r.choice(['auto-movable', 'contig-zones']))
        if r.random() < 0.12:
            out.append('memory_hotplug.auto_movable_ratio=%d' % r.choice([0, 50, 100, 301, 1000]))
        if r.random() < 0.08:
            out.append('memory_hotplug.auto_movable_numa_aware=' + r.choice(['0', '1', 'N']))
        if r.random() < 0.08:
            out.append('mem=%dM' % r.choice([384, 768, 1000, 1536, 3000]))
        for a in out:
            self.moves.add('append-' + a.split('=')[0])
        return out

    # ---- probing memhp ----------------------------------------------
    def refresh(self):
        probes = ['$ cat %s/block_size_bytes' % MEM,
                  '$ grep -H . %s/memory*/state' % MEM,
                  '(qemu) info memory-devices',
                  '$ cat /proc/meminfo']
        res = self.probe.run(self.lines + probes)[-len(probes):]
        st = self.st
        try:
            st.block_mib = int(res[0][0], 16) // MIB
        except (IndexError, ValueError):
            st.block_mib = 128
        st.blocks = {}
        for l in res[1]:
            m = re.match(r'.*/memory(\d+)/state:(\S+)', l)
            if m:
                st.blocks[int(m.group(1))] = m.group(2)
        if not st.boot_blocks:
            st.boot_blocks = set(st.blocks)
        dimms, cur = {}, None
        for l in res[2]:
            m = re.match(r'Memory device \[dimm\]: "(.*)"', l)
            if m:
                cur = dimms.setdefault(m.group(1), {})
                continue
            m = re.match(r'\s+(\w+): (\S+)', l)
            if m and cur is not None:
                cur[m.group(1)] = m.group(2)
        st.dimms = dimms
        for l in res[3]:
            m = re.match(r'MemFree:\s+(\d+)', l)
            if m:
                st.free_kib = int(m.group(1))

    def find_region(self):
        probes = ['(qemu) object_add memory-backend-ram,id=probe-m,size=128M',
                  '(qemu) device_add pc-dimm,id=probe-d,memdev=probe-m,addr=%s'
                  % ('0x0' if self.version < 3 else '0x200000')]
        res = self.probe.run(self.lines + probes)[-1]
        for l in res:
            m = re.search(r'\[0x([0-9a-f]+):0x([0-9a-f]+)\]', l)
            if m:
                self.st.region = (int(m.group(1), 16), int(m.group(2), 16))

    def dimm_blocks(self, dimm):
        d = self.st.dimms.get(dimm)
        if not d:
            return []
        bs = self.st.block_mib * MIB
        addr, size = int(d['addr'], 16), int(d['size'])
        return [b for b in range(addr // bs, (addr + size) // bs) if b in self.st.blocks]

    def hot_blocks(self):
        return sorted(b for b in self.st.blocks if b not in self.st.boot_blocks)

    # ---- moves ------------------------------------------------------
    def emit(self, line):
        self.lines.append(line)

    def read_block_files(self, blocks):
        if not blocks:
            return
        files = []
        names = ['state', 'valid_zones', 'valid_zones', 'online', 'removable', 'phys_device']
        if self.version >= 6:
            names.append('phys_index')
        for b in blocks[:4]:
            f = self.r.choice(names)
            files.append('%s/memory%d/%s' % (MEM, b, f))
        self.emit('$ cat ' + ' '.join(files))

    def reads(self, blocks=()):
        r = self.r
        self.read_block_files(list(blocks))
        for _ in range(r.choice([0, 1, 1, 2])):
            kinds = ['zoneinfo', 'meminfo', 'node-meminfo', 'iomem', 'buddyinfo',
                     'memory-devices', 'ls-memory', 'free']
            if self.version >= 5:
                kinds += ['memdev', 'numa', 'memory-size-summary', 'auto-online', 'ls-node']
            if self.version >= 6:
                kinds += ['node-states', 'ls-block', 'firmware-memmap']
            what = r.choice(kinds)
            self.moves.add('read-' + what)
            if what in ('zoneinfo', 'meminfo', 'iomem', 'buddyinfo'):
                self.emit('$ cat /proc/' + what)
            elif what == 'node-meminfo':
                n = r.randrange(self.nodes)
                self.emit('$ cat %s/node%d/meminfo' % (NODE, n))
            elif what == 'memory-devices':
                self.emit('(qemu) info memory-devices')
            elif what == 'ls-memory':
                self.emit('$ ls %s' % MEM)
            elif what in ('memdev', 'numa'):
                self.emit('(qemu) info ' + what)
            elif what == 'memory-size-summary':
                self.emit('(qemu) info memory_size_summary')
            elif what == 'auto-online':
                self.emit('$ cat %s/auto_online_blocks' % MEM)
            elif what == 'ls-node':
                self.emit('$ ls %s/node%d' % (NODE, r.randrange(self.nodes)))
            elif what == 'node-states':
                files = r.sample(['has_memory', 'has_normal_memory', 'has_cpu', 'online',
                                  'possible'], r.randint(1, 3))
                self.emit('$ cat ' + ' '.join('%s/%s' % (NODE, f) for f in files))
            elif what == 'ls-block':
                pool = list(blocks) or self.hot_blocks() or sorted(self.st.blocks)
                if pool:
                    self.emit('$ ls %s/memory%d' % (MEM, r.choice(pool)))
            elif what == 'firmware-memmap':
                self.emit('$ for d in /sys/firmware/memmap/*; do echo $d $(cat $d/start $d/end'
                          ' $d/type); done')
            else:
                self.emit('$ free -m')

    def new_ids(self):
        if self.free_ids and self.r.random() < 0.5:
            self.moves.add('dimm-id-reused')
            return self.free_ids.pop(self.r.randrange(len(self.free_ids)))
        n = self.next_id
        self.next_id += 1
        return 'd%d' % n, 'm%d' % n

    def dimm_size(self):
        r = self.r
        if r.random() < 0.1:
            self.moves.add('dimm-size-not-block-multiple')
            return r.choice([130, 192, 200, 320, 1000, 3000])
        return r.choice([128, 128, 256, 256, 384, 512, 512, 768, 1024, 1024, 2048, 3072, 4096, 8192])

    def move_add(self):
        r = self.r
        dimm, mem = self.new_ids()
        size = self.dimm_size()
        self.emit('(qemu) object_add memory-backend-ram,id=%s,size=%s' % (mem, size_str(size)))
        self.backends[mem] = None
        opts = 'pc-dimm,id=%s,memdev=%s' % (dimm, mem)
        if self.nodes > 1 and r.random() < 0.6:
            opts += ',node=%d' % r.randrange(self.nodes + (1 if r.random() < 0.1 else 0))
            self.moves.add('dimm-node')
        if r.random() < 0.15:
            opts += ',slot=%d' % r.randrange(self.slots + 1)
            self.moves.add('dimm-slot')
        if r.random() < 0.2:
            if self.st.region is None:
                self.find_region()
            if self.st.region:
                start, end = self.st.region
                step = r.choice([128 * MIB, 128 * MIB, 2 * MIB, GIB])
                span = max(1, (end - start) // step)
                addr = start + r.randrange(min(span, 64)) * step
                opts += ',addr=0x%x' % addr
                self.moves.add('dimm-addr')
        self.emit('(qemu) device_add ' + opts)
        self.moves.add('dimm-add')
        self.refresh()
        if dimm in self.st.dimms:
            self.backends[mem] = dimm
        self.reads(self.dimm_blocks(dimm))

    def pick_block(self, want_state=None, boot_ok=True):
        r = self.r
        hot = self.hot_blocks()
        boot = sorted(self.st.boot_blocks & set(self.st.blocks))
        pool = hot if hot and (r.random() < 0.8 or not boot_ok) else (boot if boot_ok else [])
        if want_state:
            cand = [b for b in pool if self.st.blocks.get(b) == want_state]
            pool = cand or pool
        return r.choice(pool) if pool else None

    def move_online(self):
        r = self.r
        b = self.pick_block('offline')
        if b is None:
            return
        if b in self.st.boot_blocks:
            self.moves.add('boot-block-online')
        if r.random() < 0.25:
            self.emit('$ echo %s > %s/memory%d/online' % (r.choice(['1', 'on', 'y']), MEM, b))
            self.moves.add('online-file')
        else:
            t = r.choice(['online', 'online_kernel', 'online_movable'])
            self.emit('$ echo %s > %s/memory%d/state' % (t, MEM, b))
            self.moves.add('state-' + t)
        self.refresh()
        self.reads([b] + ([b + 1] if b + 1 in self.st.blocks else []))

    def move_offline(self):
        r = self.r
        b = self.pick_block('online')
        if b is None or not self.room_to_offline(1):
            return
        if b in self.st.boot_blocks:
            self.moves.add('boot-block-offline')
        if r.random() < 0.25:
            self.emit('$ echo 0 > %s/memory%d/online' % (MEM, b))
            self.moves.add('offline-file')
        else:
            self.emit('$ echo offline > %s/memory%d/state' % (MEM, b))
            self.moves.add('state-offline')
        self.refresh()
        self.reads([b])

    def move_walk(self):
        """Online or offline every block of a DIMM, in or out of address order."""
        r = self.r
        if not self.st.dimms:
            return
        dimm = r.choice(sorted(self.st.dimms))
        blocks = self.dimm_blocks(dimm)
        if not blocks:
            return
        if r.random() < 0.5:
            blocks.reverse()
            self.moves.add('walk-reverse')
        elif r.random() < 0.5:
            r.shuffle(blocks)
            self.moves.add('walk-shuffled')
        action = r.choice(['online', 'online_kernel', 'online_movable', 'offline'])
        if action == 'offline' and not self.room_to_offline(len(blocks)):
            return
        for b in blocks:
            self.emit('$ echo %s > %s/memory%d/state' % (action, MEM, b))
        self.moves.add('walk-' + action)
        self.refresh()
        self.reads(blocks)

    def move_del(self):
        r = self.r
        if not self.st.dimms:
            return
        dimm = r.choice(sorted(self.st.dimms))
        if not self.room_to_offline(len(self.dimm_blocks(dimm))):
            return
        mem = self.st.dimms[dimm].get('memdev', '').replace('/objects/', '')
        states = sorted({self.st.blocks.get(b) for b in self.dimm_blocks(dimm)} - {None})
        self.moves.add('dimm-del-' + '+'.join(states or ['noblocks']))
        if r.random() < 0.15:
            self.emit('(qemu) object_del ' + mem)
            self.moves.add('object-del-before-unplug')
        self.emit('(qemu) device_del ' + dimm)
        self.refresh()
        gone = dimm not in self.st.dimms
        if r.random() < 0.8:
            self.emit('(qemu) object_del ' + mem)
            if self.version >= 3:
                self.moves.add('object-del-after-unplug' if gone else 'object-del-in-use')
            if gone:
                self.backends.pop(mem, None)
                self.free_ids.append((dimm, mem))
        self.reads(self.dimm_blocks(dimm))

    def move_refused(self):
        """Writes people get wrong: a state the block is in, a word the file does not take."""
        r = self.r
        b = self.pick_block()
        if b is None:
            return
        state = self.st.blocks.get(b)
        what = r.choice(['same-state', 'bad-word', 'bad-online', 'bad-auto-online'])
        if what == 'same-state':
            self.emit('$ echo %s > %s/memory%d/state' % ('offline' if state == 'offline'
                                                         else 'online', MEM, b))
        elif what == 'bad-word':
            self.emit('$ echo %s > %s/memory%d/state'
                      % (r.choice(['on', 'online_foo', 'Offline', '1']), MEM, b))
        elif what == 'bad-online':
            self.emit('$ echo %s > %s/memory%d/online' % (r.choice(['2', 'yes', 'ON', 'Y']), MEM, b))
        else:
            self.emit('$ echo %s > %s/auto_online_blocks'
                      % (r.choice(['on', 'movable', 'Online']), MEM))
        self.moves.add('refused-' + what)
        self.refresh()
        self.reads([b])

    def move_param(self):
        r = self.r
        what = r.choice(['auto_online_blocks', 'online_policy', 'auto_movable_ratio',
                         'auto_movable_numa_aware'])
        if what == 'auto_online_blocks':
            v = r.choice(['online', 'offline', 'online_kernel', 'online_movable'])
            path = '%s/auto_online_blocks' % MEM
        elif what == 'online_policy':
            v, path = r.choice(['auto-movable', 'contig-zones']), '%s/online_policy' % PARAMS
        elif what == 'auto_movable_ratio':
            v, path = str(r.choice([0, 100, 301, 500, 3000])), '%s/auto_movable_ratio' % PARAMS
        else:
            v, path = r.choice(['0', '1', 'N', 'Y']), '%s/auto_movable_numa_aware' % PARAMS
        self.emit('$ echo %s > %s' % (v, path))
        if r.random() < 0.5:
            self.emit('$ cat ' + path)
        self.moves.add('param-' + what)

    def move_inject(self):
        r = self.r
        if not self.inject_loaded:
            self.emit('$ modprobe memory-notifier-error-inject')
            self.inject_loaded = True
        action = r.choice(['MEM_GOING_ONLINE', 'MEM_GOING_OFFLINE'])
        if action in self.inject_set:
            self.emit('$ echo 0 > %s/%s/error' % (INJECT, action))
            self.inject_set.discard(action)
        else:
            self.emit('$ echo %d > %s/%s/error' % (r.choice([-12, -16, -22]), INJECT, action))
            self.inject_set.add(action)
        self.moves.add('notifier-inject')

    def move_memhog(self):
        r = self.r
        if self.hogs and r.random() < 0.5:
            name = r.choice(sorted(self.hogs))
            if r.random() < 0.5:
                self.emit('$ memhog check ' + name)
            else:
                self.emit('$ memhog stop ' + name)
                del self.hogs[name]
            return
        self.refresh()
        free_mib = self.st.free_kib // 1024
        # Enough to fill DMA32 and part of Normal, never so much that the OOM killer runs.
        cap = 2048 if self.version < 4 else 1024
        mib = min(int(free_mib * r.uniform(0.2, 0.75)), cap - self.hog_mib())
        if mib < 16:
            return
        name = 'h%d' % (len(self.hogs) + 1)
        while name in self.hogs:
            name += 'x'
        self.hogs[name] = '%dM' % mib
        self.emit('$ memhog start %s %dM' % (name, mib))
        self.moves.add('memhog')

    def hog_mib(self):
        return sum(int(v[:-1]) for v in self.hogs.values())

    def room_to_offline(self, nblocks):
        """Whether offlining leaves the loads somewhere to migrate to.

        With nowhere to go, Linux 6.1's offline_pages() retries migration
        until a signal comes: the real guest hangs, so no scenario does that."""
        if not self.hogs:
            return True
        self.refresh()
        return self.st.free_kib // 1024 > nblocks * self.st.block_mib + 384

    # ---- the whole scenario ----------------------------------------
    def generate(self):
        r = self.r
        self.machine()
        # The baseline of every figure the format compares as a delta: a file
        # first read after a hot-add would be compared absolutely, and boot
        # figures depend on the kernel image.
        self.emit('$ cat /proc/zoneinfo')
        self.emit('$ cat /proc/meminfo')
        if self.version < 2:
            for n in range(self.nodes):
                if self.nodes > 1 and r.random() < 0.5:
                    self.emit('$ cat %s/node%d/meminfo' % (NODE, n))
        else:
            for n in range(self.nodes):
                self.emit('$ cat %s/node%d/meminfo' % (NODE, n))
            self.emit('$ free -m')
        if r.random() < 0.3:
            self.emit('$ cat /proc/buddyinfo')
        if r.random() < 0.3:
            self.emit('$ cat /proc/iomem')
        self.refresh()
        weights = [('add', 24), ('online', 20), ('offline', 14), ('walk', 10), ('del', 10),
                   ('param', 6), ('inject', 4), ('memhog', 8)]
        if self.version >= 5:
            weights.append(('refused', 4))
        nsteps = r.randint(5, 14)
        for i in range(nsteps):
            move = r.choices([w[0] for w in weights], [w[1] for w in weights])[0]
            if i == 0 and not self.st.dimms:
                move = 'add'
            getattr(self, 'move_' + move)()
        if self.inject_set:
            for a in sorted(self.inject_set):
                self.emit('$ echo 0 > %s/%s/error' % (INJECT, a))
        for name in sorted(self.hogs):
            self.emit('$ memhog stop ' + name)
        self.emit('$ cat /proc/zoneinfo')
        self.emit('(qemu) info memory-devices')
        return self.lines


def generate(seed, memhp, version=GENERATOR_VERSION):
    """One scenario's text, with the seed that made it on its first line.

    An earlier version gives the scenarios that version gave (the recorded
    ones name theirs), as long as memhp answers the generator's questions
    the same way."""
    if not 1 <= version <= GENERATOR_VERSION:
        raise ValueError('generator version %d: 1 to %d' % (version, GENERATOR_VERSION))
    g = Generator(seed, memhp, version)
    lines = g.generate()
    head = ['# difftest seed %d (generator %d); moves: %s'
            % (seed, version, ' '.join(sorted(g.moves)))]
    return '\n'.join(head + lines) + '\n', g.moves
