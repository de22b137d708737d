// SPDX-License-Identifier: MIT
/* Unit tests: blocking notifier chains and memory-notifier-error-inject. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/notifier.h"
#include "kernel/notifier_inject.h"
#include "lib/sbuf.h"

#include "check.h"

/* each test block records its index in call order and returns a set value */
struct tnb {
	struct notifier_block nb;
	int id;
	int ret;
};

static char calls[64];
static int ncalls;

static int record(struct notifier_block *nb, unsigned long action, void *data)
{
	struct tnb *t = (struct tnb *)nb;

	if (ncalls < (int)sizeof(calls) - 1)
		calls[ncalls++] = (char)('0' + t->id);
	calls[ncalls] = '\0';
	return t->ret;
}

static void reset_calls(void)
{
	ncalls = 0;
	calls[0] = '\0';
}

static void test_chain(void)
{
	struct blocking_notifier_head nh;
	struct tnb t[6];
	int prio[6] = { 0, 10, 0, 100, -5, 10 };

	blocking_notifier_init(&nh);
	reset_calls();
	check(blocking_notifier_call_chain(&nh, 1, NULL) == NOTIFY_DONE && ncalls == 0,
	      "empty chain returns NOTIFY_DONE");

	for (int i = 0; i < 6; i++) {
		t[i].nb.notifier_call = record;
		t[i].nb.priority = prio[i];
		t[i].id = i;
		t[i].ret = NOTIFY_OK;
		blocking_notifier_chain_register(&nh, &t[i].nb);
	}
	reset_calls();
	check(blocking_notifier_call_chain(&nh, 1, NULL) == NOTIFY_OK, "returns the last callback's value");
	check(!strcmp(calls, "315024"), "higher priority first, equal priority in registration order");

	check(blocking_notifier_chain_register(&nh, &t[2].nb) == -EEXIST, "double registration is -EEXIST");
	reset_calls();
	blocking_notifier_call_chain(&nh, 1, NULL);
	check(!strcmp(calls, "315024"), "double registration leaves the chain intact");

	t[5].ret = NOTIFY_STOP;
	reset_calls();
	check(blocking_notifier_call_chain(&nh, 1, NULL) == NOTIFY_STOP && !strcmp(calls, "315"),
	      "NOTIFY_STOP ends the walk and is returned");
	t[5].ret = NOTIFY_DONE;
	t[0].ret = NOTIFY_BAD;
	reset_calls();
	check(blocking_notifier_call_chain(&nh, 1, NULL) == NOTIFY_BAD && !strcmp(calls, "3150"),
	      "NOTIFY_BAD ends the walk");
	t[0].ret = NOTIFY_OK;
	t[4].ret = NOTIFY_DONE;
	reset_calls();
	check(blocking_notifier_call_chain(&nh, 1, NULL) == NOTIFY_DONE,
	      "a last NOTIFY_DONE is what the chain returns");

	check(!blocking_notifier_chain_unregister(&nh, &t[1].nb), "unregister");
	check(blocking_notifier_chain_unregister(&nh, &t[1].nb) == -ENOENT, "unregister twice is -ENOENT");
	reset_calls();
	blocking_notifier_call_chain(&nh, 1, NULL);
	check(!strcmp(calls, "35024"), "unregistered block no longer called");
	check(!blocking_notifier_chain_register(&nh, &t[1].nb), "re-register after unregister");
	reset_calls();
	blocking_notifier_call_chain(&nh, 1, NULL);
	check(!strcmp(calls, "351024"), "re-registered block goes after its equals");
	blocking_notifier_destroy(&nh);
}

static void test_errno_encoding(void)
{
	check(notifier_from_errno(-12) == 0x800d, "notifier_from_errno(-ENOMEM) == 0x800d");
	check(notifier_from_errno(0) == NOTIFY_OK, "notifier_from_errno(0) == NOTIFY_OK");
	check(notifier_to_errno(notifier_from_errno(-16)) == -16, "errno round trip");
	check(notifier_to_errno(notifier_from_errno(-4095)) == -4095, "MAX_ERRNO round trip");
	check(notifier_to_errno(NOTIFY_BAD) == -EPERM, "NOTIFY_BAD decodes to -EPERM");
	check(!notifier_to_errno(NOTIFY_DONE) && !notifier_to_errno(NOTIFY_OK) &&
	      !notifier_to_errno(NOTIFY_STOP), "DONE, OK, STOP decode to 0");
}

static char lastlog[256];
static int nlogs;

static void capture(void *opaque, const char *line)
{
	snprintf(lastlog, sizeof(lastlog), "%s", line);
	nlogs++;
}

static int show_is(struct kernel *k, const char *action, const char *expect)
{
	struct sbuf b = SBUF_INIT;
	int ok = !memory_notifier_inject_show(k, action, &b) && !strcmp(sb_str(&b), expect);

	sb_free(&b);
	return ok;
}

static void test_inject(void)
{
	struct kernel *k = calloc(1, sizeof(*k));
	struct tnb before, after;
	struct sbuf b = SBUF_INIT;
	int ret;

	k->klog = capture;
	blocking_notifier_init(&k->memory_chain);
	before = (struct tnb){ { record, NULL, 5 }, 1, NOTIFY_OK };
	after = (struct tnb){ { record, NULL, -1 }, 2, NOTIFY_OK };
	blocking_notifier_chain_register(&k->memory_chain, &before.nb);
	blocking_notifier_chain_register(&k->memory_chain, &after.nb);

	check(memory_notifier_inject_show(k, "MEM_GOING_ONLINE", &b) == -ENOENT,
	      "files absent before modprobe");
	check(memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "-12") == -ENOENT,
	      "store absent before modprobe");
	check(!memory_notifier_inject_load(k, 0) && k->notifier_inject_loaded, "modprobe");
	check(!memory_notifier_inject_load(k, 0), "second modprobe is a no-op");
	check(!strcmp(memory_notifier_inject_actions[0], "MEM_GOING_OFFLINE") &&
	      !strcmp(memory_notifier_inject_actions[1], "MEM_GOING_ONLINE") &&
	      !memory_notifier_inject_actions[2], "actions listed in ls order");
	check(show_is(k, "MEM_GOING_ONLINE", "0\n"), "error reads 0 after load");
	check(memory_notifier_inject_show(k, "MEM_ONLINE", &b) == -ENOENT, "unknown action");

	reset_calls();
	ret = blocking_notifier_call_chain(&k->memory_chain, MEM_GOING_ONLINE, NULL);
	check(notifier_to_errno(ret) == 0 && !strcmp(calls, "12"), "no error armed: chain passes");

	check(!memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "-12\n"), "store -12");
	check(show_is(k, "MEM_GOING_ONLINE", "-12\n"), "reads -12");
	reset_calls();
	nlogs = 0;
	ret = blocking_notifier_call_chain(&k->memory_chain, MEM_GOING_ONLINE, NULL);
	check(notifier_to_errno(ret) == -12 && !strcmp(calls, "1"),
	      "GOING_ONLINE vetoed with -ENOMEM, lower priorities skipped");
	check(nlogs == 1 && !strcmp(lastlog, "Injecting error (-12) to MEM_GOING_ONLINE"),
	      "injection logged");
	reset_calls();
	ret = blocking_notifier_call_chain(&k->memory_chain, MEM_GOING_OFFLINE, NULL);
	check(notifier_to_errno(ret) == 0 && !strcmp(calls, "12"), "other action unaffected");
	ret = blocking_notifier_call_chain(&k->memory_chain, MEM_CANCEL_ONLINE, NULL);
	check(notifier_to_errno(ret) == 0, "cancel events pass");

	check(!memory_notifier_inject_store(k, "MEM_GOING_OFFLINE", "-16"), "store -16");
	ret = blocking_notifier_call_chain(&k->memory_chain, MEM_GOING_OFFLINE, NULL);
	check(notifier_to_errno(ret) == -16, "GOING_OFFLINE vetoed with -EBUSY");

	check(!memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "-5000") &&
	      show_is(k, "MEM_GOING_ONLINE", "-4095\n"), "-5000 clamps to -4095 (as Linux)");
	check(!memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "7") &&
	      show_is(k, "MEM_GOING_ONLINE", "0\n"), "positive clamps to 0");
	check(!memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "-0x10") &&
	      show_is(k, "MEM_GOING_ONLINE", "-16\n"), "base auto-detect");
	check(memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "abc") == -EINVAL &&
	      memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "-12 ") == -EINVAL &&
	      memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "") == -EINVAL,
	      "garbage is -EINVAL");
	check(memory_notifier_inject_store(k, "MEM_GOING_ONLINE", "99999999999999999999") == -ERANGE,
	      "overflow is -ERANGE");
	check(show_is(k, "MEM_GOING_ONLINE", "-16\n"), "failed store keeps the old value");

	check(!memory_notifier_inject_unload(k) && !k->notifier_inject_loaded, "rmmod");
	reset_calls();
	ret = blocking_notifier_call_chain(&k->memory_chain, MEM_GOING_OFFLINE, NULL);
	check(notifier_to_errno(ret) == 0 && !strcmp(calls, "12"), "unloaded: no veto");
	check(memory_notifier_inject_unload(k) == -ENOENT, "rmmod twice is -ENOENT");
	check(!memory_notifier_inject_load(k, 10) && show_is(k, "MEM_GOING_OFFLINE", "0\n"),
	      "reload starts from 0");
	memory_notifier_inject_store(k, "MEM_GOING_OFFLINE", "-1");
	reset_calls();
	ret = blocking_notifier_call_chain(&k->memory_chain, MEM_GOING_OFFLINE, NULL);
	check(notifier_to_errno(ret) == -EPERM && ncalls == 0, "priority 10 runs before priority 5");
	memory_notifier_inject_unload(k);

	sb_free(&b);
	blocking_notifier_destroy(&k->memory_chain);
	sb_free(&k->log);
	free(k);
}

/* readers in parallel with (un)registration: no lost or torn links */
static struct blocking_notifier_head conc_nh;
static struct tnb conc_nb[8];

static void *reader(void *arg)
{
	for (int i = 0; i < 2000; i++)
		blocking_notifier_call_chain(&conc_nh, 0, NULL);
	return NULL;
}

static int nop(struct notifier_block *nb, unsigned long action, void *data)
{
	return NOTIFY_OK;
}

static void test_concurrency(void)
{
	pthread_t th[3];
	int n = 0;

	blocking_notifier_init(&conc_nh);
	for (int i = 0; i < 8; i++)
		conc_nb[i] = (struct tnb){ { nop, NULL, i % 3 }, i, NOTIFY_OK };
	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, reader, NULL);
	for (int r = 0; r < 200; r++) {
		for (int i = 0; i < 8; i++)
			blocking_notifier_chain_register(&conc_nh, &conc_nb[i].nb);
		for (int i = 0; i < 8; i += 2)
			blocking_notifier_chain_unregister(&conc_nh, &conc_nb[i].nb);
		for (int i = 1; i < 8; i += 2)
			blocking_notifier_chain_unregister(&conc_nh, &conc_nb[i].nb);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	for (struct notifier_block *nb = conc_nh.head; nb; nb = nb->next)
		n++;
	check(n == 0, "concurrent register/unregister/call leaves an empty chain");
	blocking_notifier_destroy(&conc_nh);
}

int main(void)
{
	test_chain();
	test_errno_encoding();
	test_inject();
	test_concurrency();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
