// SPDX-License-Identifier: MIT
/* Unit tests: Linux's string parsers, memory_hotplug module parameters, the command line. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/params.h"
#include "base/memory.h"
#include "lib/sbuf.h"

#include "check.h"

static void test_sysfs_streq(void)
{
	check(sysfs_streq("online", "online"), "streq: equal");
	check(sysfs_streq("online\n", "online") && sysfs_streq("online", "online\n"),
	      "streq: one trailing newline on either side");
	check(!sysfs_streq("online \n", "online") && !sysfs_streq(" online", "online") &&
	      !sysfs_streq("ONLINE", "online") && !sysfs_streq("online\n\n", "online") &&
	      !sysfs_streq("onlin", "online") && !sysfs_streq("", "online"),
	      "streq: blanks, case, two newlines, prefixes rejected");
	check(sysfs_streq("", "") && sysfs_streq("\n", ""), "streq: empty strings");
	check(mhp_online_type_from_str("online_movable\n") == MMOP_ONLINE_MOVABLE &&
	      mhp_online_type_from_str("offline") == MMOP_OFFLINE &&
	      mhp_online_type_from_str("online_kernel") == MMOP_ONLINE_KERNEL &&
	      mhp_online_type_from_str("online") == MMOP_ONLINE, "online types from words");
	check(mhp_online_type_from_str("online-movable") == -EINVAL &&
	      mhp_online_type_from_str("1") == -EINVAL, "bad online type is -EINVAL");
	check(!strcmp(online_type_to_str[MMOP_ONLINE_MOVABLE], "online_movable"), "online_type_to_str");
}

static void test_kstrtobool(void)
{
	static const char *const yes[] = { "y", "Y", "t", "T", "1", "10", "yes", "true", "on", "ON", "oN\n" };
	static const char *const no[] = { "n", "N", "f", "F", "0", "0x", "off", "OFF", "no" };
	static const char *const bad[] = { "", "o", "ox", "2", " 1", "\n", "-1", "x" };
	int ok = 1;
	bool v;

	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		ok &= !kstrtobool(yes[i], &v) && v;
	check(ok, "kstrtobool: true words");
	ok = 1;
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		ok &= !kstrtobool(no[i], &v) && !v;
	check(ok, "kstrtobool: false words");
	ok = 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok &= kstrtobool(bad[i], &v) == -EINVAL;
	check(ok, "kstrtobool: everything else is -EINVAL");
	check(kstrtobool(NULL, &v) == -EINVAL, "kstrtobool: NULL");
}

static void test_kstrtox(void)
{
	unsigned long long ull;
	unsigned int u;
	long long ll;
	int i;

	check(!kstrtouint("301", 0, &u) && u == 301, "kstrtouint decimal");
	check(!kstrtouint("301\n", 0, &u) && u == 301, "one trailing newline allowed");
	check(kstrtouint("301\n\n", 0, &u) == -EINVAL, "two newlines rejected");
	check(!kstrtouint("0x1f", 0, &u) && u == 31 && !kstrtouint("0X1F", 0, &u) && u == 31,
	      "base 0: hex");
	check(!kstrtouint("017", 0, &u) && u == 15, "base 0: octal");
	check(kstrtouint("08", 0, &u) == -EINVAL, "base 0: 8 is not octal");
	check(!kstrtouint("0", 0, &u) && u == 0, "zero");
	check(kstrtouint("0x", 0, &u) == -EINVAL && kstrtouint("0xg", 0, &u) == -EINVAL,
	      "0x without digits is -EINVAL");
	check(!kstrtouint("+5", 0, &u) && u == 5, "leading + accepted");
	check(kstrtouint("-5", 0, &u) == -EINVAL, "leading - rejected");
	check(kstrtouint("", 0, &u) == -EINVAL && kstrtouint("\n", 0, &u) == -EINVAL &&
	      kstrtouint(" 5", 0, &u) == -EINVAL && kstrtouint("5 ", 0, &u) == -EINVAL &&
	      kstrtouint("5k", 0, &u) == -EINVAL, "garbage is -EINVAL");
	check(!kstrtouint("4294967295", 0, &u) && u == 4294967295u, "UINT_MAX");
	check(kstrtouint("4294967296", 0, &u) == -ERANGE, "UINT_MAX+1 is -ERANGE");
	check(!kstrtoull("18446744073709551615", 0, &ull) && ull == UINT64_MAX, "ULLONG_MAX");
	check(kstrtoull("18446744073709551616", 0, &ull) == -ERANGE, "ULLONG_MAX+1 is -ERANGE");
	check(kstrtoull("0x10000000000000000", 0, &ull) == -ERANGE, "hex overflow is -ERANGE");
	check(kstrtoull("99999999999999999999x", 0, &ull) == -ERANGE, "overflow wins over garbage");
	check(!kstrtoull("ff", 16, &ull) && ull == 255 && !kstrtoull("0xff", 16, &ull) && ull == 255,
	      "explicit base 16 with optional 0x");
	check(!kstrtoll("-9223372036854775808", 0, &ll) && ll == INT64_MIN, "LLONG_MIN");
	check(kstrtoll("-9223372036854775809", 0, &ll) == -ERANGE &&
	      kstrtoll("9223372036854775808", 0, &ll) == -ERANGE, "kstrtoll range");
	check(!kstrtoint("-12\n", 0, &i) && i == -12, "kstrtoint negative");
	check(kstrtoint("2147483648", 0, &i) == -ERANGE && kstrtoint("--1", 0, &i) == -EINVAL,
	      "kstrtoint range and syntax");
}

static void test_memparse(void)
{
	char *end;

	check(memparse("4G", &end) == 4ULL << 30 && !*end, "memparse 4G");
	check(memparse("512m", &end) == 512ULL << 20 && !*end, "memparse 512m");
	check(memparse("0x1000k", &end) == 0x1000ULL << 10 && !*end, "memparse hex with suffix");
	check(memparse("1T", NULL) == 1ULL << 40 && memparse("1P", NULL) == 1ULL << 50 &&
	      memparse("2e", NULL) == 2ULL << 60, "memparse T, P, E");
	check(memparse("123", &end) == 123 && !*end, "memparse plain bytes");
	check(memparse("12X", &end) == 12 && !strcmp(end, "X"), "memparse stops at unknown suffix");
	check(memparse("abc", &end) == 0 && !strcmp(end, "abc"), "memparse of garbage is 0");
	check(memparse("1Gfoo", &end) == 1ULL << 30 && !strcmp(end, "foo"), "end after the suffix");
}

#define NLOG 16
static char logs[NLOG][256];
static int nlogs;

static void capture(void *opaque, const char *line)
{
	if (nlogs < NLOG)
		snprintf(logs[nlogs++], sizeof(logs[0]), "%s", line);
}

static struct kernel *new_kernel(void)
{
	struct kernel *k = calloc(1, sizeof(*k));

	mhp_params_init(&k->params);
	k->klog = capture;
	nlogs = 0;
	return k;
}

static int show_is(struct kernel *k, const char *name, const char *expect)
{
	struct sbuf b = SBUF_INIT;
	int ok = !mhp_param_show(k, name, &b) && !strcmp(sb_str(&b), expect);

	if (!ok)
		printf("# %s: got \"%s\"\n", name, sb_str(&b) ? sb_str(&b) : "(null)");
	sb_free(&b);
	return ok;
}

static void test_module_params(void)
{
	struct kernel *k = new_kernel();
	struct sbuf b = SBUF_INIT;

	check(memory_hotplug_nr_params == 4 &&
	      !strcmp(memory_hotplug_param_names[0], "auto_movable_numa_aware") &&
	      !strcmp(memory_hotplug_param_names[1], "auto_movable_ratio") &&
	      !strcmp(memory_hotplug_param_names[2], "memmap_on_memory") &&
	      !strcmp(memory_hotplug_param_names[3], "online_policy"), "parameter names in ls order");
	check(show_is(k, "auto_movable_numa_aware", "Y\n") && show_is(k, "auto_movable_ratio", "301\n") &&
	      show_is(k, "memmap_on_memory", "N\n") && show_is(k, "online_policy", "contig-zones\n"),
	      "defaults as Linux 6.1");
	check(k->params.default_online_type == MMOP_OFFLINE && !k->params.movable_node &&
	      k->params.max_mem_size == UINT64_MAX, "default boot options");
	check(mhp_param_mode("memmap_on_memory") == 0444 && mhp_param_mode("online_policy") == 0644 &&
	      mhp_param_mode("auto_movable_ratio") == 0644 &&
	      mhp_param_mode("auto_movable_numa_aware") == 0644 && mhp_param_mode("nope") == 0,
	      "file modes");
	check(mhp_param_show(k, "nope", &b) == -ENOENT && mhp_param_store(k, "nope", "1") == -ENOENT,
	      "unknown parameter is -ENOENT");

	check(mhp_param_store(k, "memmap_on_memory", "Y\n") == -EACCES && show_is(k, "memmap_on_memory", "N\n"),
	      "memmap_on_memory is read-only at runtime");

	check(!mhp_param_store(k, "online_policy", "auto-movable\n") &&
	      show_is(k, "online_policy", "auto-movable\n"), "online_policy store");
	check(mhp_param_store(k, "online_policy", "auto_movable") == -EINVAL &&
	      mhp_param_store(k, "online_policy", "auto-movable ") == -EINVAL &&
	      show_is(k, "online_policy", "auto-movable\n"), "online_policy exact word only");
	check(!mhp_param_store(k, "online_policy", "contig-zones") &&
	      k->params.online_policy == ONLINE_POLICY_CONTIG_ZONES, "online_policy back");

	check(!mhp_param_store(k, "auto_movable_ratio", "0x64\n") && show_is(k, "auto_movable_ratio", "100\n"),
	      "ratio base auto-detect");
	check(mhp_param_store(k, "auto_movable_ratio", "-1") == -EINVAL &&
	      mhp_param_store(k, "auto_movable_ratio", "abc") == -EINVAL &&
	      mhp_param_store(k, "auto_movable_ratio", "4294967296") == -ERANGE &&
	      show_is(k, "auto_movable_ratio", "100\n"), "ratio errors keep the value");
	check(!mhp_param_store(k, "auto_movable_ratio", "0") && k->params.auto_movable_ratio == 0, "ratio 0");

	check(!mhp_param_store(k, "auto_movable_numa_aware", "off\n") &&
	      show_is(k, "auto_movable_numa_aware", "N\n"), "numa_aware off");
	check(!mhp_param_store(k, "auto_movable_numa_aware", "1") &&
	      show_is(k, "auto_movable_numa_aware", "Y\n"), "numa_aware 1");
	check(mhp_param_store(k, "auto_movable_numa_aware", "maybe") == -EINVAL, "numa_aware garbage");
	sb_free(&b);
	sb_free(&k->log);
	free(k);
}

static int log_is(int i, const char *expect)
{
	if (i >= nlogs || strcmp(logs[i], expect)) {
		printf("# log %d: got \"%s\"\n", i, i < nlogs ? logs[i] : "(none)");
		return 0;
	}
	return 1;
}

static void test_cmdline(void)
{
	struct kernel *k;

	k = new_kernel();
	parse_kernel_cmdline(k, "console=ttyS0 memhp_default_state=online memory_hotplug.memmap_on_memory=1");
	check(k->params.default_online_type == MMOP_ONLINE &&
	      k->params.memmap_on_memory == MEMMAP_ON_MEMORY_ENABLE && nlogs == 0,
	      "memmap-on-memory reference command line");
	check(show_is(k, "memmap_on_memory", "Y\n"), "memmap_on_memory reads Y");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "memhp_default_state=online memory_hotplug.online_policy=auto-movable");
	check(k->params.default_online_type == MMOP_ONLINE &&
	      k->params.online_policy == ONLINE_POLICY_AUTO_MOVABLE && nlogs == 0,
	      "auto-movable reference command line");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "memhp_default_state=online_movable memhp_default_state=bogus "
				"memhp_default_state movable_node");
	check(k->params.default_online_type == MMOP_ONLINE_MOVABLE && k->params.movable_node && nlogs == 0,
	      "invalid memhp_default_state silently ignored; movable_node");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "memory_hotplug.online_policy=foo memory_hotplug.auto_movable_ratio=12x "
				"memory_hotplug.auto_movable_numa_aware=maybe memory_hotplug.memmap_on_memory=force "
				"memory_hotplug.online_policy");
	check(nlogs == 4 &&
	      log_is(0, "Booting kernel: `foo' invalid for parameter `memory_hotplug.online_policy'") &&
	      log_is(1, "Booting kernel: `12x' invalid for parameter `memory_hotplug.auto_movable_ratio'") &&
	      log_is(2, "Booting kernel: `maybe' invalid for parameter `memory_hotplug.auto_movable_numa_aware'") &&
	      log_is(3, "Booting kernel: `' invalid for parameter `memory_hotplug.online_policy'"),
	      "invalid module parameters logged as Linux");
	check(k->params.online_policy == ONLINE_POLICY_CONTIG_ZONES && k->params.auto_movable_ratio == 301 &&
	      k->params.auto_movable_numa_aware && k->params.memmap_on_memory == MEMMAP_ON_MEMORY_FORCE,
	      "invalid values keep defaults; force accepted");
	check(show_is(k, "memmap_on_memory", "force\n"), "memmap_on_memory reads force");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "memory-hotplug.auto-movable-ratio=0x20 memory_hotplug.auto_movable_numa_aware "
				"memory_hotplug.memmap_on_memory memory_hotplug.unknown=1 foo.bar");
	check(k->params.auto_movable_ratio == 32 && k->params.auto_movable_numa_aware &&
	      k->params.memmap_on_memory == MEMMAP_ON_MEMORY_ENABLE && nlogs == 0,
	      "dashes match underscores; bare bools are true; unknown dotted words ignored");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "mem=4G");
	check(k->params.max_mem_size == 4ULL << 30 && nlogs == 0, "mem=4G");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "memory_hotplug.online_policy=foo mem=0 mem=nopentium mem");
	check(k->params.max_mem_size == UINT64_MAX && nlogs == 5 &&
	      log_is(0, "Malformed early option 'mem'") &&
	      log_is(1, "mem=nopentium ignored! (only supported on x86_32)") &&
	      log_is(2, "Malformed early option 'mem'") &&
	      log_is(3, "Malformed early option 'mem'") &&
	      log_is(4, "Booting kernel: `foo' invalid for parameter `memory_hotplug.online_policy'"),
	      "bad mem= rejected; early messages come first");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "  \"memhp_default_state=online_kernel\"  memory_hotplug.online_policy=\"auto-movable\" "
				"-- memory_hotplug.auto_movable_ratio=5 mem=1G");
	check(k->params.default_online_type == MMOP_ONLINE_KERNEL &&
	      k->params.online_policy == ONLINE_POLICY_AUTO_MOVABLE &&
	      k->params.auto_movable_ratio == 301 && k->params.max_mem_size == UINT64_MAX && nlogs == 0,
	      "quotes stripped; nothing after -- is parsed");
	sb_free(&k->log);
	free(k);

	k = new_kernel();
	parse_kernel_cmdline(k, "");
	parse_kernel_cmdline(k, NULL);
	parse_kernel_cmdline(k, "   ");
	check(nlogs == 0 && k->params.default_online_type == MMOP_OFFLINE, "empty command lines");
	sb_free(&k->log);
	free(k);
}

int main(void)
{
	test_sysfs_streq();
	test_kstrtobool();
	test_kstrtox();
	test_memparse();
	test_module_params();
	test_cmdline();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
