// SPDX-License-Identifier: MIT
/*
 * pc-dimm devices: `device_add pc-dimm,...` and `device_del`.
 *
 * QEMU refuses a DIMM at the first failing step of a fixed sequence, and a
 * user sees only that step's message, so the steps are kept in QEMU 7.2's
 * order: qdev_device_add() (driver, id, properties), pc_memory_pre_plug()
 * (slot, then memory_device_get_free_addr(): space, alignment, range,
 * overlap), pc_dimm_realize() (busy backend, node). Only then is the DIMM
 * plugged and the guest notified through ACPI.
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"
#include "../acpi/acpi.h"

struct dimm_args {
	const char *driver;
	const char *id;
	const char *memdev;
	uint64_t addr;
	int64_t slot;
	uint32_t node;
	bool nvdimm, unarmed;
	uint64_t label_size;
};

/* hw/mem/nvdimm.c: MIN_NAMESPACE_LABEL_SIZE, the smallest label area a namespace index fits in */
#define MIN_NAMESPACE_LABEL_SIZE	(128 * KiB)

/* the nvdimm's own properties; the rest are pc-dimm's */
static bool nvdimm_prop(const char *k)
{
	return !strcmp(k, "label-size") || !strcmp(k, "unarmed") || !strcmp(k, "uuid");
}

/* qemu_uuid_parse(): 8-4-4-4-12 hex digits */
static bool uuid_wellformed(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	}
	return true;
}

/* nvdimm_set_label_size(), nvdimm_set_unarmed(), the uuid setter: the nvdimm's properties */
static int nvdimm_set_prop(struct dimm_args *a, const char *k, const char *v, struct sbuf *out)
{
	if (!strcmp(k, "label-size")) {
		if (parse_size(v, 1, &a->label_size)) {
			sb_puts(out, "Error: Parameter 'label-size' expects size\n");
			return -1;
		}
		if (a->label_size < MIN_NAMESPACE_LABEL_SIZE) {
			sb_printf(out, "Error: Property 'nvdimm.label-size' (0x%" PRIx64 ") is required at least "
				  "0x%llx\n", a->label_size, MIN_NAMESPACE_LABEL_SIZE);
			return -1;
		}
	} else if (!strcmp(k, "unarmed")) {
		if (parse_bool(v, &a->unarmed)) {
			sb_puts(out, "Error: Parameter 'unarmed' expects 'on' or 'off'\n");
			return -1;
		}
	} else if (!strcmp(k, "uuid") && !uuid_wellformed(v)) {
		sb_puts(out, "Error: Property 'nvdimm.uuid' has invalid value\n");
		return -1;
	}
	return 0;
}

static struct dimm *dimm_find(struct machine *m, const char *id)
{
	for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++) {
		struct dimm *d = m->slot[i];

		if (!d)
			continue;
		if ((d->id && !strcmp(d->id, id)) || !strcmp(d->path, id))
			return d;
	}
	return NULL;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct dimm *x = *(struct dimm *const *)a, *y = *(struct dimm *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int dimm_list_sorted(struct machine *m, struct dimm ***list)
{
	/* QEMU's lists come from g_malloc(), which aborts: an empty list would be a wrong answer */
	struct dimm **v = xcalloc(ACPI_MAX_RAM_SLOTS, sizeof(*v));
	int n = 0;

	*list = v;
	for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++)
		if (m->slot[i])
			v[n++] = m->slot[i];
	qsort(v, (size_t)n, sizeof(*v), cmp_addr);
	return n;
}

uint64_t dimm_plugged_size(struct machine *m, int node)
{
	uint64_t sum = 0;

	for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++) {
		const struct dimm *d = m->slot[i];

		if (d && (node < 0 || d->node == node))
			sum += d->size;
	}
	return sum;
}

/* pc_dimm_get_free_slot() */
static int pick_slot(struct machine *m, int64_t hint, struct sbuf *out)
{
	unsigned int max = m->cfg.ram_slots;

	if (max == 0) {
		sb_puts(out, "Error: no slots where allocated, please specify the 'slots' option\n");
		return -1;
	}
	if (hint != -1) {
		if (hint < 0 || hint >= (int64_t)max) {
			sb_printf(out, "Error: invalid slot number %" PRId64 ", valid range is [0-%u]\n",
				  hint, max - 1);
			return -1;
		}
		if (m->slot[hint]) {
			sb_printf(out, "Error: slot %" PRId64 " is busy\n", hint);
			return -1;
		}
		return (int)hint;
	}
	for (unsigned int i = 0; i < max && i < ACPI_MAX_RAM_SLOTS; i++)
		if (!m->slot[i])
			return (int)i;
	sb_puts(out, "Error: no free slots available\n");
	return -1;
}

bool dimm_id_in_use(struct machine *m, const char *id)
{
	return dimm_find(m, id) != NULL;
}

/* qdev_device_add(): driver, id, then the properties */
static int parse_device_args(struct machine *m, struct opt_list *l, struct dimm_args *a, struct sbuf *out)
{
	const char *unknown = NULL;

	memset(a, 0, sizeof(*a));
	a->slot = -1;
	for (size_t i = 0; i < l->n; i++) {
		const char *k = l->v[i].key, *v = l->v[i].val;

		if (i == 0 && !v)
			a->driver = k;
		else if (!strcmp(k, "driver"))
			a->driver = v;
		else if (!strcmp(k, "id"))
			a->id = v ? v : "";
		else if (!strcmp(k, "memdev"))
			a->memdev = v ? v : "";
		else if (strcmp(k, "slot") && strcmp(k, "node") && strcmp(k, "addr") && !nvdimm_prop(k) && !unknown)
			unknown = k;
	}
	if (!a->driver) {
		sb_puts(out, "Error: Parameter 'driver' is missing\n");
		return -1;
	}
	if (strcmp(a->driver, "pc-dimm") && strcmp(a->driver, "nvdimm")) {
		sb_printf(out, "Error: '%s' is not a valid device model name\n", a->driver);
		return -1;
	}
	a->nvdimm = !strcmp(a->driver, "nvdimm");
	for (size_t i = 0; i < l->n && !a->nvdimm && !unknown; i++)
		if (nvdimm_prop(l->v[i].key) && (i || l->v[i].val))
			unknown = l->v[i].key;
	if (a->id) {
		if (!id_wellformed(a->id)) {
			sb_puts(out, "Error: Parameter 'id' expects an identifier\n"
				"Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.\n");
			return -1;
		}
		if (dimm_find(m, a->id) || vmem_find(m, a->id)) {
			sb_printf(out, "Error: Duplicate device ID '%s'\n", a->id);
			return -1;
		}
	} else {
		/* qdev_set_id() names it /machine/peripheral-anon/device[N] */
		m->anon_devices++;
	}
	/* the link is resolved first: an unknown memdev hides other mistakes */
	if (a->memdev && !qom_table_lookup(m->objects, a->memdev)) {
		sb_printf(out, "Error: Device '%s' not found\n", a->memdev);
		return -1;
	}
	if (unknown) {
		sb_printf(out, "Error: Property '%s.%s' not found\n", a->driver, unknown);
		return -1;
	}
	/* the remaining properties in the order given: the first bad one speaks */
	for (size_t i = 0; i < l->n; i++) {
		const char *k = l->v[i].key, *v = l->v[i].val ? l->v[i].val : "";
		int64_t n;

		if (i == 0 && !l->v[i].val)
			continue;
		if (!strcmp(k, "slot")) {
			if (parse_int64(v, &n)) {
				sb_puts(out, "Error: Parameter 'slot' expects integer\n");
				return -1;
			}
			if (n < INT32_MIN || n > INT32_MAX) {
				sb_puts(out, "Error: Parameter 'slot' expects int32_t\n");
				return -1;
			}
			a->slot = n;
		} else if (!strcmp(k, "node")) {
			if (parse_int64(v, &n)) {
				sb_puts(out, "Error: Parameter 'node' expects integer\n");
				return -1;
			}
			if (n < 0 || n > UINT32_MAX) {
				sb_puts(out, "Error: Parameter 'node' expects uint32_t\n");
				return -1;
			}
			a->node = (uint32_t)n;
		} else if (!strcmp(k, "addr")) {
			if (parse_uint64(v, &a->addr)) {
				sb_puts(out, "Error: Parameter 'addr' expects integer\n");
				return -1;
			}
		} else if (nvdimm_prop(k) && nvdimm_set_prop(a, k, v, out)) {
			return -1;
		}
	}
	return 0;
}

static void json_str(struct sbuf *b, const char *s)
{
	sb_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_printf(b, "\\%c", c);
		else if (c < 0x20)
			sb_printf(b, "\\u%04x", c);
		else
			sb_putc(b, (char)c);
	}
	sb_putc(b, '"');
}

/* ACPI_DEVICE_OST: the guest's _OST for a DIMM slot (ACPIOSTInfo field order) */
static void emit_ost(struct machine *m, const char *id, int slot, int source, int status)
{
	struct sbuf b = SBUF_INIT;

	if (slot >= 0 && slot < ACPI_MAX_RAM_SLOTS) {
		m->ost_event[slot] = source;
		m->ost_status[slot] = status;
	}
	sb_puts(&b, "{\"info\": {");
	if (id) {
		sb_puts(&b, "\"device\": ");
		json_str(&b, id);
		sb_puts(&b, ", ");
	}
	sb_printf(&b, "\"slot\": \"%d\", \"slot-type\": \"DIMM\", \"source\": %d, \"status\": %d}}",
		  slot, source, status);
	machine_emit_event(m, "ACPI_DEVICE_OST", sb_str(&b));
	sb_free(&b);
}

#define ACPI_NOTIFY_DEVICE_CHECK	1
#define ACPI_NOTIFY_EJECT_REQUEST	3
#define ACPI_OST_EJECT_IN_PROGRESS	0x80

/*
 * nvdimm_prepare_memory_region(): the label area takes the end of the
 * backend and the PMEM the rest, aligned down to the backend's alignment.
 */
static int nvdimm_prepare_memory_region(const struct backend *be, uint64_t label_size, uint64_t *pmem,
					struct sbuf *out)
{
	uint64_t size = be->size - (label_size < be->size ? label_size : be->size);

	size -= size % BACKEND_ALIGN;
	if (be->size <= label_size || !size) {
		sb_printf(out, "Error: the size of memdev %s (0x%" PRIx64 ") is too small to contain nvdimm "
			  "label (0x%" PRIx64 ") and aligned PMEM (0x%llx)\n", be->id, be->size, label_size,
			  BACKEND_ALIGN);
		return -1;
	}
	*pmem = size;
	return 0;
}

int dimm_device_add(struct machine *m, const char *args, struct sbuf *out)
{
	struct opt_list l;
	struct dimm_args a;
	struct backend *be;
	struct dimm *d = NULL;
	uint64_t addr = 0, size;
	int slot, nodes, ret = -1, err;

	/* -device / device_add virtio-mem-pci: the extension's own device */
	if (vmem_is_driver(args))
		return vmem_device_add(m, args, out);
	opts_split(args, &l);
	if (parse_device_args(m, &l, &a, out))
		goto out;
	/* pc_memory_pre_plug(): the DIMM is an ACPI device; -no-acpi leaves no way to plug it */
	if (m->cfg.no_acpi) {
		sb_puts(out, "Error: memory hotplug is not enabled: missing acpi device or acpi disabled\n");
		goto out;
	}
	if (a.nvdimm && !m->cfg.nvdimm) {
		sb_puts(out, "Error: nvdimm is not enabled: missing 'nvdimm' in '-M'\n");
		goto out;
	}

	/* pc_dimm_pre_plug(): the slot, then the memory region and its place */
	slot = pick_slot(m, a.slot, out);
	if (slot < 0)
		goto out;
	if (!a.memdev) {
		sb_puts(out, "Error: 'memdev' property must be set\n");
		goto out;
	}
	be = qom_table_lookup(m->objects, a.memdev);
	size = be->size;
	if (a.nvdimm && nvdimm_prepare_memory_region(be, a.label_size, &size, out))
		goto out;
	if (memory_device_get_free_addr(m, a.addr, size, BACKEND_ALIGN, &addr, out))
		goto out;

	/* the node is checked before the backend's availability (as QEMU 7.2 does) */
	nodes = m->cfg.nr_nodes;
	if ((nodes > 0 && a.node >= (uint32_t)nodes) || (!nodes && a.node)) {
		sb_printf(out, "Error: 'DIMM property node has value %" PRIu32 "' which exceeds the "
			  "number of numa nodes: %d\n", a.node, nodes ? nodes : 1);
		goto out;
	}
	if (be->mapped) {
		sb_printf(out, "Error: can't use already busy memdev: %s\n", be->id);
		goto out;
	}

	d = mh_calloc(1, sizeof(*d));
	if (!d)
		goto oom;
	d->id = a.id ? mh_strdup(a.id) : NULL;
	if (a.id && !d->id)
		goto oom;
	{
		struct sbuf p = SBUF_INIT;

		if (a.id)
			sb_printf(&p, "/machine/peripheral/%s", a.id);
		else
			sb_printf(&p, "/machine/peripheral-anon/device[%u]", m->anon_devices - 1);
		d->path = sb_detach(&p);
	}
	d->slot = slot;
	d->node = (int)a.node;
	d->addr = addr;
	d->size = size;
	d->be = be;
	d->hotplugged = m->k != NULL;
	d->nvdimm = a.nvdimm;
	d->unarmed = a.unarmed;
	d->label_size = a.label_size;
	be->mapped = true;

	pthread_rwlock_wrlock(&m->dimm_lock);
	m->slot[slot] = d;
	pthread_rwlock_unlock(&m->dimm_lock);

	if (d->nvdimm) {
		/*
		 * nvdimm_acpi_plug_cb(): no memory-hotplug slot event, the NFIT
		 * changes and \_SB.NVDR is notified; Linux's nfit driver (if
		 * loaded) re-reads _FIT. QEMU hears nothing back.
		 */
		if (m->k)
			acpi_nfit_notify(m->k, &(struct boot_nvdimm){ slot, d->node, addr, d->size, d->label_size });
		ret = 0;
		goto out;
	}
	/*
	 * The guest's ACPI driver adds the memory. Whatever it answers, the
	 * DIMM stays plugged: QEMU only hears back through _OST.
	 */
	err = m->k ? acpi_memory_device_add(m->k, slot, addr, d->size, d->node) : 0;
	emit_ost(m, d->id, slot, ACPI_NOTIFY_DEVICE_CHECK, err ? ACPI_OST_FAILURE : ACPI_OST_SUCCESS);
	ret = 0;
	goto out;
oom:
	if (d)
		free(d->id);
	free(d);
	sb_puts(out, "Error: out of memory\n");
out:
	opts_free(&l);
	return ret;
}

static void dimm_free(struct dimm *d)
{
	if (!d)
		return;
	free(d->id);
	free(d->path);
	free(d);
}

/* _EJ0 (the guest ejected the slot): QEMU unplugs the DIMM and frees its backend for object_del */
static void dimm_ej0(struct machine *m, struct dimm *d, int ost_source)
{
	pthread_rwlock_wrlock(&m->dimm_lock);
	m->slot[d->slot] = NULL;
	pthread_rwlock_unlock(&m->dimm_lock);
	d->be->mapped = false;
	{
		struct sbuf b = SBUF_INIT;

		sb_puts(&b, "{");
		if (d->id) {
			sb_puts(&b, "\"device\": ");
			json_str(&b, d->id);
			sb_puts(&b, ", ");
		}
		sb_puts(&b, "\"path\": ");
		json_str(&b, d->path);
		sb_puts(&b, "}");
		machine_emit_event(m, "DEVICE_DELETED", sb_str(&b));
		sb_free(&b);
	}
	/* the final _OST arrives for a slot that no longer has a device */
	emit_ost(m, NULL, d->slot, ost_source, ACPI_OST_SUCCESS);
	dimm_free(d);
}

int dimm_device_del(struct machine *m, const char *id, struct sbuf *out)
{
	struct dimm *d = dimm_find(m, id);
	int ost = ACPI_OST_FAILURE, err;

	if (!d && vmem_find(m, id)) {
		/* pc_virtio_md_pci_unplug_request() in QEMU 7.2 */
		sb_puts(out, "Error: virtio based memory devices cannot be unplugged.\n");
		return -1;
	}
	if (!d) {
		sb_printf(out, "Error: Device '%s' not found\n", id);
		return -1;
	}
	if (d->nvdimm) {
		/* pc_memory_unplug_request() in QEMU 7.2 */
		sb_puts(out, "Error: nvdimm device hot unplug is not supported yet.\n");
		return -1;
	}
	/* the guest acknowledges the eject request before trying it */
	emit_ost(m, d->id, d->slot, ACPI_NOTIFY_EJECT_REQUEST, ACPI_OST_EJECT_IN_PROGRESS);
	err = m->k ? acpi_memory_device_eject(m->k, d->slot, &ost) : 0;
	if (err) {
		/* the DIMM stays; only a QMP client learns why */
		emit_ost(m, d->id, d->slot, ACPI_NOTIFY_EJECT_REQUEST, ost);
		return 0;
	}

	dimm_ej0(m, d, ACPI_NOTIFY_EJECT_REQUEST);
	return 0;
}

/*
 * The guest ejects a slot on its own (echo 1 > .../PNP0C80:NN/eject): Linux
 * runs the eject as for a device_del (acpi_device_hotplug with
 * ACPI_OST_EC_OSPM_EJECT) and, once the memory is gone, calls _EJ0.
 */
#define ACPI_OST_EC_OSPM_EJECT	0x103
int machine_acpi_eject(struct machine *m, int slot)
{
	struct dimm *d = slot >= 0 && slot < ACPI_MAX_RAM_SLOTS ? m->slot[slot] : NULL;
	int ost = ACPI_OST_FAILURE;
	if (!d || d->nvdimm || !m->k)
		return -ENODEV;
	int err = acpi_memory_device_eject(m->k, slot, &ost);
	if (err) {
		emit_ost(m, d->id, slot, ACPI_OST_EC_OSPM_EJECT, ost);
		return err;
	}
	dimm_ej0(m, d, ACPI_OST_EC_OSPM_EJECT);
	return 0;
}

void dimm_release_all(struct machine *m)
{
	pthread_rwlock_wrlock(&m->dimm_lock);
	for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++) {
		dimm_free(m->slot[i]);
		m->slot[i] = NULL;
	}
	pthread_rwlock_unlock(&m->dimm_lock);
}
