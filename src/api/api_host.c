// SPDX-License-Identifier: MIT
/*
 * The host interface (host.h): the machine's monitor, QMP and module
 * loading for the memhp program, each call under the machine's lock, as
 * the public API's. The program reaches the machine only through here.
 */
#include "host.h"

#include <errno.h>

#include "api_internal.h"
#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/notifier_inject.h"
#include "../machine/machine.h"

void host_lock(struct memhp *m)
{
	api_lock(m);
}

void host_unlock(struct memhp *m)
{
	api_unlock(m);
}

/* the command line's, fixed when the machine was made: no lock */
const char *host_qmp_path(struct memhp *m)
{
	return machine_qmp_path(m->machine);
}

bool host_monitor_stdio(struct memhp *m)
{
	return machine_monitor_stdio(m->machine);
}

bool host_quit_requested(struct memhp *m)
{
	api_lock(m);
	bool quit = machine_quit_requested(m->machine);
	api_unlock(m);
	return quit;
}

int host_hmp_command(struct memhp *m, const char *line, struct sbuf *out)
{
	api_lock(m);
	int ret = hmp_command(m->machine, line, out);
	api_unlock(m);
	return ret;
}

/* ---- QMP: the caller holds the lock (host.h) ---- */

int host_qmp_object_add(struct memhp *m, const struct qmp_arg *args, size_t n, struct sbuf *err)
{
	return qmp_object_add(m->machine, args, n, err);
}

int host_qmp_object_del(struct memhp *m, const char *id, struct sbuf *err)
{
	return qmp_object_del(m->machine, id, err);
}

int host_qmp_device_add(struct memhp *m, const struct qmp_arg *args, size_t n, struct sbuf *err)
{
	return qmp_device_add(m->machine, args, n, err);
}

int host_qmp_device_del(struct memhp *m, const char *id, struct sbuf *err)
{
	return qmp_device_del(m->machine, id, err);
}

void host_qmp_query_memory_devices_json(struct memhp *m, struct sbuf *json)
{
	qmp_query_memory_devices_json(m->machine, json);
}

int host_qmp_query_memdev(struct memhp *m, struct qmp_memdev_info **list, size_t *n)
{
	return qmp_query_memdev(m->machine, list, n);
}

void host_qmp_free_memdev(struct qmp_memdev_info *list, size_t n)
{
	qmp_free_memdev(list, n);
}

void host_qmp_query_memory_size_summary(struct memhp *m, uint64_t *base, uint64_t *plugged,
					bool *has_plugged)
{
	qmp_query_memory_size_summary(m->machine, base, plugged, has_plugged);
}

void host_qmp_query_acpi_ospm_status(struct memhp *m, struct sbuf *json)
{
	qmp_query_acpi_ospm_status(m->machine, json);
}

int host_qmp_qom_get(struct memhp *m, const char *path, const char *prop, struct sbuf *json,
		     struct sbuf *err)
{
	return qmp_qom_get(m->machine, path, prop, json, err);
}

int host_qmp_qom_list(struct memhp *m, const char *path, struct sbuf *json, struct sbuf *err)
{
	return qmp_qom_list(m->machine, path, json, err);
}

int host_qmp_qom_set(struct memhp *m, const char *path, const char *prop, const struct qmp_arg *value,
		     struct sbuf *err)
{
	return qmp_qom_set(m->machine, path, prop, value, err);
}

void host_set_event_handler(struct memhp *m, host_event_fn fn, void *opaque)
{
	api_lock(m);
	machine_set_event_handler(m->machine, fn, opaque);
	api_unlock(m);
}

/* ---- modprobe ---- */

bool host_module_known(const char *name)
{
	return memory_notifier_inject_is_module(name) || nd_is_module(name);
}

bool host_module_takes_priority(const char *name)
{
	return memory_notifier_inject_is_module(name);
}

int host_module_load(struct memhp *m, const char *name, int priority)
{
	if (!host_module_known(name))
		return -ENOENT;
	api_lock(m);
	int ret = nd_is_module(name) ? nd_modprobe(guest_kernel(m), name)
				     : memory_notifier_inject_load(guest_kernel(m), priority);
	api_unlock(m);
	return ret;
}

int host_module_unload(struct memhp *m, const char *name)
{
	if (!host_module_known(name))
		return -ENOENT;
	if (nd_is_module(name))
		return -EBUSY;
	api_lock(m);
	int ret = memory_notifier_inject_unload(guest_kernel(m));
	api_unlock(m);
	return ret;
}
