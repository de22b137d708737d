// SPDX-License-Identifier: MIT
/*
 * memhp never crashes on input: random guest shell lines, monitor commands
 * and sysfs writes, built from fragments of real ones, with fixed seeds.
 * After every input the mm invariants (mm_verify) must hold; a monitor
 * command or a sysfs write that is refused must leave the guest's and the
 * machine's state as it was (ASan and UBSan in CI watch memory safety).
 */
#include "check.h"
#include "../fuzz/fuzz_state.h"

static const char *const shell_frags[] = {
	"echo ", "cat ", "ls ", "grep ", "free ", "-m ", "-k ", "memhog ", "start ", "check ", "stop ",
	"a ", "1M ", "64K ", "> ", ">> ", "< ", "| ", "; ", "&& ", "|| ", "'", "\"", "\\", "*", "?", "[",
	"]", "/sys/devices/system/memory/", "memory32/state ", "memory33/online ", "memory0/", "online ",
	"offline ", "online_movable ", "online_kernel ", "/proc/zoneinfo ", "/proc/iomem ", "2>&1 ",
	"/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error ", "-12 ",
	"modprobe memory-notifier-error-inject ", "dmesg ", "x", "\t", "#", "../../", "/dev/null ",
	"auto_online_blocks ", "valid_zones ", "soft_offline_page ", "0x100000000 ",
	"/sys/module/memory_hotplug/parameters/auto_movable_ratio ", "4294967296 ", "",
};
static const char *const monitor_frags[] = {
	"object_add ", "object_del ", "device_add ", "device_del ", "info ", "memory-devices",
	"memdev", "numa", "memory-backend-ram", "pc-dimm", ",id=m1", ",id=d1", ",memdev=m1", ",size=128M",
	",size=3M", ",size=0", ",node=1", ",addr=0x140000000", ",slot=3", ",reserve=off", ",", "=", " ",
	"m1", "d1", "\"", "'",
};

static unsigned rnd(void)
{
	static unsigned long long s = 0x9E3779B97F4A7C15ULL;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return (unsigned)s;
}

static void line_of(char *buf, size_t len, const char *const *frags, size_t nfrags)
{
	buf[0] = 0;
	for (unsigned n = rnd() % 8 + 1; n; n--)
		strncat(buf, frags[rnd() % nfrags], len - strlen(buf) - 1);
}

int main(void)
{
	struct memhp *m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", NULL);
	char line[512], *out;
	memhp_monitor(m, "object_add memory-backend-ram,id=m1,size=512M", &out);
	free(out);
	memhp_monitor(m, "device_add pc-dimm,id=d1,memdev=m1", &out);
	free(out);
	int broken = 0, changed = 0, refused = 0;
	struct sbuf before = SBUF_INIT, after = SBUF_INIT;
	for (int i = 0; i < 30000; i++) {
		if (i % 10 == 0) {
			line_of(line, sizeof(line), monitor_frags, sizeof(monitor_frags) / sizeof(*monitor_frags));
			fuzz_dump(m, &before);
			if (memhp_monitor(m, line, &out) < 0) {
				refused++;
				fuzz_dump(m, &after);
				if (strcmp(sb_str(&before), sb_str(&after)) && changed++ < 3)
					printf("# refused '%s' changed the state\n", line);
			}
		} else {
			line_of(line, sizeof(line), shell_frags, sizeof(shell_frags) / sizeof(*shell_frags));
			memhp_shell(m, line, &out);
		}
		free(out);
		if (fuzz_verify(m, line) && broken++ > 3)
			break;
	}
	/* raw bytes into every writable memory file */
	const char *files[] = { "/sys/devices/system/memory/memory32/state",
				"/sys/devices/system/memory/memory32/online",
				"/sys/devices/system/memory/auto_online_blocks",
				"/sys/devices/system/memory/soft_offline_page",
				"/sys/module/memory_hotplug/parameters/online_policy" };
	for (int i = 0; i < 2000; i++) {
		char bytes[32];
		size_t n = rnd() % sizeof(bytes);
		for (size_t j = 0; j < n; j++)
			bytes[j] = (char)rnd();
		fuzz_dump(m, &before);
		const char *file = files[rnd() % 5];
		int rc = memhp_write(m, file, bytes, n);
		if (rc < 0) {
			refused++;
			fuzz_dump(m, &after);
			if (strcmp(sb_str(&before), sb_str(&after)) && changed++ < 3) {
				printf("# a refused raw write to %s (%d) changed the state\n", file, rc);
				if (getenv("FUZZ_DIFF")) {
					FILE *a = fopen("/tmp/fz.a", "w"), *b = fopen("/tmp/fz.b", "w");
					fputs(sb_str(&before), a); fputs(sb_str(&after), b); fclose(a); fclose(b);
				}
			}
		}
		if (fuzz_verify(m, "raw write") && broken++ > 3)
			break;
	}
	sb_free(&before);
	sb_free(&after);
	check(!broken, "fuzz: mm invariants hold after each of 32000 random inputs");
	check(!changed && refused > 100, "fuzz: every refused monitor command and sysfs write left the state as it was");
	char *log = NULL;
	check(memhp_dmesg(m, &log) == 0, "fuzz: the machine still answers");
	free(log);
	memhp_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
