// SPDX-License-Identifier: MIT
/*
 * The kernel log as Linux 6.1 prints it: "[    0.000000] " timestamps
 * (print_time()), and do_migrate_range()'s "migrating pfn ... failed" under
 * its ratelimit (DEFAULT_RATELIMIT_INTERVAL 5 s, DEFAULT_RATELIMIT_BURST 10):
 * an offline that retries a pinned page for 5.5 s prints ten lines, then
 * "do_migrate_range: N callbacks suppressed" when the next window opens and
 * at most ten more, instead of one line per retry.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>
#include "check.h"

static int count(const char *log, const char *what)
{
	int n = 0;

	for (const char *p = log; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static int all_lines_stamped(const char *log)
{
	regex_t re;
	int ok = 1;

	regcomp(&re, "^\\[ *[0-9]+\\.[0-9]{6}\\] ", REG_EXTENDED | REG_NOSUB);
	for (const char *p = log; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[600];

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		if (regexec(&re, line, 0, NULL, 0)) {
			printf("# unstamped: %s\n", line);
			ok = 0;
		}
		p += len + (nl ? 1 : 0);
	}
	regfree(&re);
	return ok;
}

int main(void)
{
	struct memhp *m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", NULL);
	char *out = NULL, *log = NULL;

	memhp_monitor(m, "object_add memory-backend-ram,id=mem1,size=128M", &out);
	free(out);
	memhp_monitor(m, "device_add pc-dimm,id=dimm1,memdev=mem1", &out);
	free(out);
	memhp_write(m, "/sys/devices/system/memory/memory32/state", "online_movable", 14);
	check(memhp_dmesg(m, &log) == 0 && all_lines_stamped(log) && !strncmp(log, "[    0.000000] ", 15),
	      "printk: every line starts with its [%5lu.%06lu] time, the first at 0.000000");
	free(log);

	struct memhp_page *p = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, 0, -1);
	memhp_pin_page(m, p);
	memhp_set_offline_timeout(m, 5500);
	check(memhp_write(m, "/sys/devices/system/memory/memory32/state", "offline", 7) == -EINTR,
	      "printk: a pinned page keeps offlining busy for 5.5 s");
	memhp_dmesg(m, &log);
	int failures = count(log, "migrating pfn "), suppressed = count(log, "do_migrate_range: ");
	printf("# %d failure lines, %d suppression lines\n", failures, suppressed);
	check(failures >= 10 && failures <= 20, "printk: at most ten failure lines per 5 s window");
	check(suppressed == 1 && strstr(log, " callbacks suppressed\n"),
	      "printk: the next window says how many were suppressed");
	free(log);
	memhp_unpin_page(m, p);
	memhp_free_pages(m, p);
	memhp_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
