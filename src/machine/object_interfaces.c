// SPDX-License-Identifier: MIT
/*
 * Creating and deleting user objects (memory backends) for both monitors,
 * as QEMU 7.2's user_creatable_add_type() and user_creatable_del()
 * (qom/object_interfaces.c) serve HMP's object_add and QMP's object-add
 * alike: the front ends only turn their arguments into QemuOpts text and
 * print the message their own way (HMP "Error: " and the whole message,
 * QMP its first line).
 */
#include <stdio.h>

#include "machine_internal.h"

int user_creatable_add_opts(struct machine *m, const char *text, struct sbuf *err)
{
	struct backend_opts bo;
	struct backend *be;
	bool size_zero;

	if (backend_parse_keyval(text, &bo, &size_zero, err))
		return -1;
	/* object_property_try_add_child() on /objects */
	if (qom_table_lookup(m->objects, bo.id)) {
		sb_printf(err, "attempt to add duplicate property '%s' to object (type 'container')", bo.id);
		backend_opts_release(&bo);
		return -1;
	}
	be = backend_create(&bo, err);
	if (!be) {
		/*
		 * QEMU adds the child before completing it and removes it when
		 * the RAM cannot be set up: the removal leaves a tombstone that
		 * shapes later `info memdev` orders, so do the same.
		 */
		if (!qom_table_insert(m->objects, bo.id, NULL))
			qom_table_remove(m->objects, bo.id);
		backend_opts_release(&bo);
		return -1;
	}
	backend_opts_release(&bo);
	if (qom_table_insert(m->objects, be->id, be)) {
		backend_destroy(be);
		sb_puts(err, "out of memory");
		return -1;
	}
	return 0;
}

int user_creatable_del(struct machine *m, const char *id, struct sbuf *err)
{
	struct backend *be = id ? qom_table_lookup(m->objects, id) : NULL;

	if (!be) {
		sb_printf(err, "object '%s' not found", id ? id : "");
		return -1;
	}
	/* user_creatable_can_be_deleted(): host_memory_backend_can_be_deleted() */
	if (be->mapped) {
		sb_printf(err, "object '%s' is in use, can not be deleted", id);
		return -1;
	}
	qom_table_remove(m->objects, id);
	backend_destroy(be);
	return 0;
}
