// SPDX-License-Identifier: MIT
/*
 * The public API (include/memhp/memhp.h): a thin layer over the machine
 * (monitor), the guest's file systems (vfs) and the guest shell (shell.c).
 */
#include "../api/api_internal.h"
#include "../lib/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../fs/vfs.h"
#include "../lib/sbuf.h"
#include "../machine/machine.h"
#include "../user/shlex.h"

static char *dup_or_die(const char *s)
{
	char *d = mh_strdup(s);
	if (!d)
		out_of_memory(ALLOC_WHERE, 0);
	return d;
}

struct memhp *memhp_new(const char *qemu_options, char **errmsg)
{
	struct tokens t = { NULL, 0, 0 };
	const char *err;
	if (errmsg)
		*errmsg = NULL;
	if (shlex_split(qemu_options ? qemu_options : "", false, &t, &err) < 0) {
		/* What a shell would say before QEMU ever ran. */
		if (errmsg) {
			struct sbuf b = SBUF_INIT;
			sb_printf(&b, "%s", err);
			*errmsg = sb_detach(&b);
		}
		tokens_free(&t);
		return NULL;
	}
	char **argv = mh_calloc(t.n + 1, sizeof(*argv));
	if (!argv)
		out_of_memory(ALLOC_WHERE, 0);
	for (size_t i = 0; i < t.n; i++)
		argv[i] = t.v[i].text;
	struct memhp *m = memhp_new_argv((int)t.n, argv, errmsg);
	free(argv);
	tokens_free(&t);
	return m;
}

struct memhp *memhp_new_argv(int argc, char *const argv[], char **errmsg)
{
	struct sbuf err = SBUF_INIT;
	if (errmsg)
		*errmsg = NULL;
	struct machine *mc = machine_new(argc, argv, &err);
	if (!mc) {
		/* QEMU's messages are single lines; the caller adds the newline. */
		while (err.len && (err.s[err.len - 1] == '\n' || err.s[err.len - 1] == ' '))
			err.s[--err.len] = 0;
		if (errmsg)
			*errmsg = err.len ? sb_detach(&err) : dup_or_die("machine creation failed");
		sb_free(&err);
		return NULL;
	}
	sb_free(&err);
	struct memhp *m = mh_calloc(1, sizeof(*m));
	if (!m)
		out_of_memory(ALLOC_WHERE, 0);
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	m->machine = mc;
	api_attach_kernel_hooks(m);
	return m;
}

void memhp_free(struct memhp *m)
{
	if (!m)
		return;
	/* memhogs hold guest pages: give them back before the guest goes. */
	api_lock(m);
	memhog_free_all(m);
	api_free_notifiers(m);
	machine_free(m->machine);
	api_unlock(m);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void api_lock(struct memhp *m)
{
	if (m)
		pthread_mutex_lock(&m->lock);
}

void api_unlock(struct memhp *m)
{
	if (m)
		pthread_mutex_unlock(&m->lock);
}

struct kernel *guest_kernel(struct memhp *m)
{
	return machine_guest(m->machine);
}

int memhp_monitor(struct memhp *m, const char *command, char **out)
{
	if (out)
		*out = NULL;
	if (!m)
		return -EINVAL;
	if (!command)
		return -EINVAL;
	struct sbuf b = SBUF_INIT;
	api_lock(m);
	int ret = hmp_command(m->machine, command, &b);
	api_unlock(m);
	/* hmp_command() says only "failed"; the monitor's own words tell which way */
	if (ret < 0)
		ret = !strncmp(sb_str(&b), "unknown command: ", 17) ? -ENOSYS : -EIO;
	if (out)
		*out = sb_detach(&b);
	sb_free(&b);
	return ret < 0 ? ret : 0;
}

int memhp_read(struct memhp *m, const char *path, char **out)
{
	if (out)
		*out = NULL;
	if (!m || !path || !out)
		return -EINVAL;
	struct sbuf b = SBUF_INIT;
	api_lock(m);
	int ret = vfs_read(guest_kernel(m), path, &b);
	api_unlock(m);
	*out = ret < 0 ? NULL : sb_detach(&b);
	sb_free(&b);
	return ret < 0 ? ret : 0;
}

int memhp_write(struct memhp *m, const char *path, const char *data, size_t len)
{
	if (!m || !path || (!data && len))
		return -EINVAL;
	api_lock(m);
	int ret = vfs_write(guest_kernel(m), path, data, len);
	api_unlock(m);
	return ret < 0 ? ret : 0;
}

int memhp_list(struct memhp *m, const char *path, char ***names, size_t *count)
{
	struct strlist l = { NULL, 0, 0 };
	if (names)
		*names = NULL;
	if (count)
		*count = 0;
	if (!m || !path || !names || !count)
		return -EINVAL;
	api_lock(m);
	int ret = vfs_list(guest_kernel(m), path, &l);
	api_unlock(m);
	if (ret < 0) {
		sl_free(&l);
		return ret;
	}
	sl_sort(&l);
	*names = l.v;	/* the list's array and strings pass to the caller */
	*count = l.n;
	return 0;
}

void memhp_free_list(char **names, size_t count)
{
	if (!names)
		return;
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

const char *memhp_version(void)
{
	return MEMHP_VERSION_STRING;
}
