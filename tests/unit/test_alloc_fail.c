// SPDX-License-Identifier: MIT
/*
 * The allocation-failure policy (docs/DESIGN.md), proven: for every N, a
 * child process runs a scenario with the library's Nth host allocation
 * failing (alloc_fail_nth(), the library's own hook). Allowed outcomes:
 *   - the operation that met the failure is refused (an error returned) and
 *     the guest's views - /proc/iomem, /proc/zoneinfo, the memory blocks and
 *     their states, the monitor's memory devices and backends - are exactly
 *     what they were before it, and mm_verify() holds;
 *   - the operation succeeds anyway (the allocation had a fallback) and
 *     mm_verify() holds;
 *   - memhp_new() fails with a message;
 *   - the process aborts with "memhp: out of memory (WHERE, N bytes)", the
 *     stated policy of the layers that do not roll back.
 * A SIGSEGV, another signal, a hang or a changed state after a refusal fails.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memhp/memhp.h>
#include "lib/alloc.h"
#include "lib/sbuf.h"
#include "mm/internal.h"
#include "api/api_internal.h"
#include "check.h"

enum op_kind { OP_MONITOR, OP_WRITE, OP_SHELL };
struct op {
	enum op_kind kind;
	const char *a, *b;
};
struct scenario {
	const char *name, *qemu;
	const struct op *ops;
};

#define MEM "/sys/devices/system/memory/"
static const struct op dimm_ops[] = {
	{ OP_MONITOR, "object_add memory-backend-ram,id=m1,size=256M", NULL },
	{ OP_MONITOR, "device_add pc-dimm,id=d1,memdev=m1", NULL },
	{ OP_WRITE, MEM "memory32/state", "online_movable" },
	{ OP_WRITE, MEM "memory33/state", "online" },
	{ OP_WRITE, MEM "memory32/state", "offline" },
	{ OP_MONITOR, "device_del d1", NULL },
	{ OP_MONITOR, "object_del m1", NULL },
	{ OP_MONITOR, "info memory-devices", NULL },
	{ 0, NULL, NULL },
};
static const struct op auto_ops[] = {
	{ OP_WRITE, MEM "auto_online_blocks", "online_movable" },
	{ OP_MONITOR, "object_add memory-backend-ram,id=m1,size=128M", NULL },
	{ OP_MONITOR, "device_add pc-dimm,id=d1,memdev=m1,node=1", NULL },
	{ OP_SHELL, "memhog start h1 64M", NULL },
	{ OP_WRITE, MEM "memory32/state", "offline" },
	{ OP_SHELL, "cat /proc/meminfo | grep -c Mem; ls /sys/devices/system/node/node1", NULL },
	{ OP_MONITOR, "device_del d1", NULL },
	{ OP_SHELL, "memhog stop h1", NULL },
	{ 0, NULL, NULL },
};
static const struct op boot_ops[] = {
	{ OP_SHELL, "free -m; cat /proc/iomem | head -3", NULL },
	{ OP_MONITOR, "info memdev", NULL },
	{ 0, NULL, NULL },
};
static const struct scenario scenarios[] = {
	{ "dimm add/online/offline/eject", "-m 1G,slots=4,maxmem=8G -smp 2", dimm_ops },
	{ "auto-online on node 1, memhog, eject",
	  "-m 1G,slots=4,maxmem=8G -smp 2 -object memory-backend-ram,id=r0,size=512M "
	  "-object memory-backend-ram,id=r1,size=512M -numa node,memdev=r0,cpus=0-1 "
	  "-numa node,memdev=r1", auto_ops },
	{ "small guest, mem=", "-m 64 -append mem=48M", boot_ops },
};

static void add_file(struct memhp *m, struct sbuf *d, const char *path)
{
	char *s = NULL;
	int rc = memhp_read(m, path, &s);
	sb_printf(d, "== %s (%d)\n%s", path, rc, s ? s : "");
	free(s);
}

/* The guest's and the machine's state, as a user sees it. */
static void dump(struct memhp *m, struct sbuf *d)
{
	char **names = NULL, *out = NULL;
	size_t n = 0;
	add_file(m, d, "/proc/iomem");
	add_file(m, d, "/proc/zoneinfo");
	add_file(m, d, MEM "auto_online_blocks");
	if (!memhp_list(m, MEM, &names, &n))
		for (size_t i = 0; i < n; i++) {
			if (strncmp(names[i], "memory", 6) || !strchr("0123456789", names[i][6]))
				continue;
			char path[128];
			snprintf(path, sizeof(path), MEM "%s/state", names[i]);
			add_file(m, d, path);
		}
	memhp_free_list(names, n);
	memhp_monitor(m, "info memory-devices", &out);
	sb_printf(d, "== info memory-devices\n%s", out ? out : "");
	free(out);
	memhp_monitor(m, "info memdev", &out);
	sb_printf(d, "== info memdev\n%s", out ? out : "");
	free(out);
}

static int verify(struct memhp *m)
{
	struct sbuf why = SBUF_INIT;
	int bad = mm_verify(guest_kernel(m), &why);
	if (bad)
		fprintf(stderr, "mm_verify: %s\n", sb_str(&why));
	sb_free(&why);
	return bad;
}

/* One op; < 0 when refused. A shell line is refused when its status is not 0. */
static int run_op(struct memhp *m, const struct op *op)
{
	char *out = NULL;
	int rc;
	switch (op->kind) {
	case OP_MONITOR:
		rc = memhp_monitor(m, op->a, &out);
		break;
	case OP_WRITE:
		rc = memhp_write(m, op->a, op->b, strlen(op->b));
		break;
	default:
		rc = memhp_shell(m, op->a, &out);
		rc = rc < 0 ? rc : rc > 0 ? -EIO : 0;
		break;
	}
	free(out);
	return rc;
}

enum { CHILD_OK = 0, CHILD_NOT_REACHED = 3, CHILD_BAD_STATE = 4, CHILD_BAD_VERIFY = 5 };

static int child(const struct scenario *sc, unsigned long nth)
{
	char *err = NULL;
	alloc_fail_nth(nth);
	struct memhp *m = memhp_new(sc->qemu, &err);
	if (!m) {
		alloc_fail_hold(1);
		/* refused boot: only because of the failure, and with a reason */
		if (!alloc_failed() || !err || !*err) {
			fprintf(stderr, "memhp_new failed: %s\n", err ? err : "(no message)");
			return CHILD_BAD_STATE;
		}
		free(err);
		return CHILD_OK;
	}
	for (const struct op *op = sc->ops; op->a; op++) {
		struct sbuf before = SBUF_INIT, after = SBUF_INIT;
		alloc_fail_hold(1);
		int already = alloc_failed();
		dump(m, &before);
		alloc_fail_hold(0);
		int rc = run_op(m, op);
		alloc_fail_hold(1);
		if (!already && alloc_failed()) {
			if (verify(m))
				return CHILD_BAD_VERIFY;
			if (rc < 0) {
				dump(m, &after);
				if (strcmp(before.s, after.s)) {
					fprintf(stderr, "state changed by refused '%s' (%d)\n", op->a, rc);
					return CHILD_BAD_STATE;
				}
			}
		}
		sb_free(&before);
		sb_free(&after);
		alloc_fail_hold(0);
	}
	alloc_fail_hold(1);
	int reached = alloc_failed();
	if (verify(m))
		return CHILD_BAD_VERIFY;
	memhp_free(m);
	return reached ? CHILD_OK : CHILD_NOT_REACHED;
}

/* The scenario with every allocation failing in turn; 0 when all outcomes are allowed. */
static int run_scenario(const struct scenario *sc, unsigned long *runs, unsigned long *aborts)
{
	char errpath[] = "/tmp/memhp-allocfail-XXXXXX";
	int fd = mkstemp(errpath);
	if (fd < 0)
		return -1;
	int bad = 0;
	for (unsigned long nth = 1;; nth++) {
		if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET))
			return -1;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			dup2(fd, 2);
			alarm(60);
			_exit(child(sc, nth));
		}
		int st;
		waitpid(pid, &st, 0);
		char msg[512] = "";
		ssize_t n = pread(fd, msg, sizeof(msg) - 1, 0);
		msg[n > 0 ? n : 0] = 0;
		if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_NOT_REACHED)
			break;
		(*runs)++;
		if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_OK)
			continue;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && strstr(msg, "memhp: out of memory (")) {
			(*aborts)++;
			continue;
		}
		printf("# %s: allocation %lu: %s %d: %s", sc->name, nth,
		       WIFSIGNALED(st) ? "signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), msg);
		if (++bad > 10)
			break;
	}
	close(fd);
	unlink(errpath);
	return bad;
}

int main(void)
{
	/* MEMHP_ALLOC_FAIL=SCENARIO:N runs that one case in this process (for a debugger) */
	const char *one = getenv("MEMHP_ALLOC_FAIL");
	if (one)
		return child(&scenarios[atoi(one)], strtoul(strchr(one, ':') + 1, NULL, 0));
	/* the hook itself: the nth allocation fails, once, and is counted */
	alloc_fail_nth(2);
	void *a = mh_malloc(8), *b = mh_malloc(8), *c = mh_malloc(8);
	check(a && !b && c && alloc_failed() && alloc_count() == 3, "alloc hook: exactly the 2nd allocation fails");
	free(a);
	free(c);
	alloc_fail_nth(0);

	for (size_t i = 0; i < sizeof(scenarios) / sizeof(*scenarios); i++) {
		unsigned long runs = 0, aborts = 0;
		int bad = run_scenario(&scenarios[i], &runs, &aborts);
		char name[256];
		snprintf(name, sizeof(name),
			 "alloc failure: %s: each of %lu allocations failed in turn (%lu aborts by policy), "
			 "no crash, refused operations leave the state as it was", scenarios[i].name, runs, aborts);
		check(bad == 0 && runs > 50, name);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
