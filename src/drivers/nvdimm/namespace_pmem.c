// SPDX-License-Identifier: MIT
/*
 * Labelled pmem namespaces, Linux 6.1 (drivers/nvdimm/namespace_devs.c,
 * label.c, dimm_devs.c) on QEMU's one-DIMM NFIT regions: a region whose
 * DIMM has a valid label index has namespaces namespaceR.0 .. R.N of type
 * pmem, the highest an idle seed of size 0. Writing a size allocates an
 * extent of the DIMM (DPA) and writes the namespace's label; when a driver
 * probes the seed with its size, the region makes the next seed, with the
 * lowest free id. Writing 0
 * deletes the label; namespaceR.0 and the seed stay as idle namespaces,
 * any other goes (__size_store()'s nd_device_unregister()). Enabling the region scans
 * the labels again (scan_labels()): the namespaces are renumbered in DPA
 * order and a fresh seed follows them. The labels live in the DIMM's label
 * area, which QEMU keeps with the backend, so they outlast disable-region.
 */
#include "nd_e820.h"
#include "../../kernel/kernel.h"
#include "../../kernel/resource.h"
#include "../../lib/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nd_namespace_pmem *nd_pmem_ns(const struct nd_e820_region *reg, int n)
{
	if (!reg->labels_valid || reg->disabled || !reg->pmem_ns || n < 0 || n >= reg->nr_pmem_ns ||
	    !reg->pmem_ns[n].present)
		return NULL;
	return &reg->pmem_ns[n];
}

bool nd_region_has_namespace(const struct nd_e820_region *reg, int n)
{
	return reg->labels_valid ? nd_pmem_ns(reg, n) != NULL : n == 0;
}

int nd_region_nr_namespaces(const struct nd_e820_region *reg)
{
	if (!reg->labels_valid)
		return 1;
	return reg->disabled ? 0 : reg->nr_pmem_ns;
}

int nd_region_ns_seed(const struct nd_e820_region *reg)
{
	return reg->labels_valid ? reg->pmem_ns_seed : 0;
}

/* nd_region_create_ns_seed(): a fresh namespace with the lowest free id (the region's ns_ida) */
static void new_seed(struct nd_e820_region *reg)
{
	int id = 0;
	while (id < ND_MAX_PMEM_NS && reg->pmem_ns[id].present)
		id++;
	if (id == ND_MAX_PMEM_NS)
		return;		/* no room: the seed stays the last namespace given capacity */
	memset(&reg->pmem_ns[id], 0, sizeof(reg->pmem_ns[id]));
	reg->pmem_ns[id].present = true;
	reg->pmem_ns[id].cl.claim_id = -1;
	reg->pmem_ns[id].cl.align = 2UL << 20;	/* nd_pfn_default_alignment() */
	reg->pmem_ns_seed = id;
	if (id >= reg->nr_pmem_ns)
		reg->nr_pmem_ns = id + 1;
}

uint64_t nd_ns_start(const struct nd_e820_region *reg, int n)
{
	const struct nd_namespace_pmem *ns = nd_pmem_ns(reg, n);
	return ns ? reg->start + ns->dpa : reg->start;
}

uint64_t nd_ns_size(const struct nd_e820_region *reg, int n)
{
	const struct nd_namespace_pmem *ns = nd_pmem_ns(reg, n);
	return ns ? ns->size : reg->labels_valid || n ? 0 : reg->size;
}

uint64_t nd_ns0_start(const struct nd_e820_region *reg) { return nd_ns_start(reg, 0); }
uint64_t nd_ns0_size(const struct nd_e820_region *reg) { return nd_ns_size(reg, 0); }

bool nd_region_claimed(const struct nd_e820_region *reg)
{
	if (reg->claim != ND_CLAIM_NONE)
		return true;
	for (int n = 1; reg->pmem_ns && n < reg->nr_pmem_ns; n++)
		if (reg->pmem_ns[n].cl.claim != ND_CLAIM_NONE)
			return true;
	return false;
}

struct nd_ns_claim *nd_ns_claim(struct nd_e820_region *reg, int n)
{
	if (n == 0)
		return &reg->c0;
	return nd_pmem_ns(reg, n) ? &reg->pmem_ns[n].cl : NULL;
}

/*
 * The region's DPA space for namespaces: the mapping's length aligned down
 * to the region's align (1022 MiB of PMEM offer 1008 MiB; the 14 MiB after
 * them are never available).
 */
static uint64_t dpa_limit(const struct nd_e820_region *reg)
{
	return reg->size / nd_region_align(reg) * nd_region_align(reg);
}

/* the allocated extent that starts lowest at or after dpa (NULL: none) */
static const struct nd_namespace_pmem *next_extent(const struct nd_e820_region *reg, uint64_t dpa)
{
	const struct nd_namespace_pmem *best = NULL;
	for (int i = 0; i < reg->nr_pmem_ns; i++) {
		const struct nd_namespace_pmem *ns = &reg->pmem_ns[i];
		if (ns->size && ns->dpa >= dpa && (!best || ns->dpa < best->dpa))
			best = ns;
	}
	return best;
}

/*
 * Walk the free extents in DPA order: the first one of at least want bytes
 * (its start in *dpa) when want is non-zero, and the largest one's size.
 */
static uint64_t free_extents(const struct nd_e820_region *reg, uint64_t want, uint64_t *dpa)
{
	uint64_t pos = 0, largest = 0, end = dpa_limit(reg);
	bool found = false;
	while (pos < end) {
		const struct nd_namespace_pmem *next = next_extent(reg, pos);
		uint64_t hole_end = next ? next->dpa : end;
		uint64_t hole = hole_end - pos;
		if (hole > largest)
			largest = hole;
		if (want && !found && hole >= want) {
			*dpa = pos;
			found = true;
		}
		if (!next)
			break;
		pos = next->dpa + next->size;
	}
	return largest;
}

/* available_size_show(): nd_pmem_available_dpa() of the one mapping: all that labels do not hold */
uint64_t nd_region_available(const struct nd_e820_region *reg)
{
	/* nd_region_available_dpa(): no label data (no label area, or nd_e820's no mapping): nothing to allocate */
	if (!reg->label_area)
		return 0;
	if (!reg->labels_valid)
		return dpa_limit(reg);
	uint64_t used = 0;
	for (int i = 0; reg->pmem_ns && i < reg->nr_pmem_ns; i++)
		used += reg->pmem_ns[i].size;
	return dpa_limit(reg) - used;
}

/* nd_region_allocatable_dpa(): a pmem namespace is one contiguous extent */
uint64_t nd_region_max_extent(const struct nd_e820_region *reg)
{
	if (!reg->labels_valid || !reg->pmem_ns)
		return nd_region_available(reg);
	uint64_t dpa = 0;
	return free_extents(reg, 0, &dpa);
}

int nd_pmem_labels_init(struct nd_e820_region *reg)
{
	if (!reg->pmem_ns) {
		reg->pmem_ns = mh_calloc(ND_MAX_PMEM_NS, sizeof(*reg->pmem_ns));
		if (!reg->pmem_ns)
			return -ENOMEM;
	}
	nd_pmem_ns_detach_all(reg);
	memset(reg->pmem_ns, 0, ND_MAX_PMEM_NS * sizeof(*reg->pmem_ns));
	reg->nr_pmem_ns = 0;
	reg->pmem_ns_seed = 0;
	return 0;
}

static int cmp_dpa(const void *a, const void *b)
{
	const struct nd_namespace_pmem *x = a, *y = b;
	return x->dpa < y->dpa ? -1 : x->dpa > y->dpa;
}

/* scan_labels(): a namespace per label, sorted by DPA, then a fresh seed */
void nd_pmem_labels_scan(struct nd_e820_region *reg)
{
	if (!reg->labels_valid || !reg->pmem_ns)
		return;
	int n = 0;
	for (int i = 0; i < reg->nr_pmem_ns; i++) {
		struct nd_namespace_pmem ns = reg->pmem_ns[i];
		if (!ns.size)
			continue;
		ns.present = true;
		ns.bound = false;
		ns.res = NULL;
		memset(&ns.cl, 0, sizeof(ns.cl));	/* a disabled region has no claims */
		ns.cl.claim_id = -1;
		ns.cl.align = 2UL << 20;
		reg->pmem_ns[n++] = ns;
	}
	qsort(reg->pmem_ns, (size_t)n, sizeof(*reg->pmem_ns), cmp_dpa);
	memset(&reg->pmem_ns[n], 0, (size_t)(ND_MAX_PMEM_NS - n) * sizeof(*reg->pmem_ns));
	reg->nr_pmem_ns = n;
	new_seed(reg);
}

static struct nd_e820_region *labelled_region(struct kernel *k, int region)
{
	if (!k->nd || !k->nd->registered || region < 0 || region >= k->nd->nr_regions)
		return NULL;
	return &k->nd->region[region];
}

/* a namespace with a driver (nd_pmem, or a claiming device) cannot change: -EBUSY */
static bool ns_busy(const struct nd_e820_region *reg, int n)
{
	if (n == 0)
		return reg->ns_bound || reg->claim != ND_CLAIM_NONE || nd_seed_has_ns(reg, 0);
	return reg->pmem_ns[n].bound || reg->pmem_ns[n].cl.claim != ND_CLAIM_NONE || nd_seed_has_ns(reg, n);
}

/* a namespace whose attributes may be written: -ENXIO without one, -EBUSY while a driver holds it */
static int writable_ns(struct kernel *k, int region, int n, struct nd_e820_region **regp, struct nd_namespace_pmem **nsp)
{
	struct nd_e820_region *reg = labelled_region(k, region);
	struct nd_namespace_pmem *ns = reg ? nd_pmem_ns(reg, n) : NULL;
	if (!ns)
		return -ENXIO;
	if (ns_busy(reg, n))
		return -EBUSY;
	*regp = reg;
	*nsp = ns;
	return 0;
}

int nd_pmem_ns_set_size(struct kernel *k, int region, int n, uint64_t size)
{
	struct nd_e820_region *reg;
	struct nd_namespace_pmem *ns;
	int rc = writable_ns(k, region, n, &reg, &ns);
	if (rc)
		return rc;
	/* __size_store(): uuid first, whole multiples of the region's align, a free extent */
	if (size && !ns->uuid[0])
		return -ENXIO;
	if (size % nd_region_align(reg))
		return -EINVAL;
	uint64_t old = ns->size;
	ns->size = 0;
	uint64_t dpa = 0;
	if (size && free_extents(reg, size, &dpa) < size) {
		ns->size = old;
		return -ENOSPC;
	}
	ns->dpa = size ? dpa : 0;
	ns->size = size;
	if (!size) {		/* the label is deleted: the namespace's identity with it */
		ns->uuid[0] = '\0';
		ns->alt_name[0] = '\0';
		ns->lbasize = 0;
		if (n != 0 && n != reg->pmem_ns_seed)
			ns->present = false;
	}
	return 0;
}

/* nd_region_notify_driver_action(): the seed's driver probed it, with capacity; the region makes a new seed */
void nd_pmem_ns_probed(struct nd_e820_region *reg, int n)
{
	if (reg->labels_valid && !reg->disabled && reg->pmem_ns && n == reg->pmem_ns_seed && reg->pmem_ns[n].size)
		new_seed(reg);
}

/* uuid_store(): a namespace with a driver keeps its uuid */
int nd_pmem_ns_set_uuid(struct kernel *k, int region, int n, const char *uuid)
{
	struct nd_e820_region *reg;
	struct nd_namespace_pmem *ns;
	int rc = writable_ns(k, region, n, &reg, &ns);
	if (rc)
		return rc;
	snprintf(ns->uuid, sizeof(ns->uuid), "%s", uuid);
	return 0;
}

int nd_pmem_ns_set_alt_name(struct kernel *k, int region, int n, const char *name)
{
	struct nd_e820_region *reg;
	struct nd_namespace_pmem *ns;
	int rc = writable_ns(k, region, n, &reg, &ns);
	if (rc)
		return rc;
	size_t len = strcspn(name, "\n");
	if (len >= sizeof(ns->alt_name))
		return -EINVAL;		/* __alt_name_store(): NSLABEL_NAME_LEN */
	memcpy(ns->alt_name, name, len);
	ns->alt_name[len] = '\0';
	return 0;
}

int nd_pmem_ns_set_sector_size(struct kernel *k, int region, int n, unsigned lbasize)
{
	struct nd_e820_region *reg;
	struct nd_namespace_pmem *ns;
	int rc = writable_ns(k, region, n, &reg, &ns);
	if (rc)
		return rc;
	if (lbasize != 512 && lbasize != 4096)
		return -EINVAL;		/* nd_size_select_store(): pmem_lbasize_supported */
	ns->lbasize = lbasize;
	return 0;
}

/* a minor some pmem disk holds: namespaceR.0's (raw, or its pfn/btt claim's) or a labelled namespace's */
static bool minor_taken(struct kernel *k, int m)
{
	for (int r = 0; r < k->nd->nr_regions; r++) {
		const struct nd_e820_region *reg = &k->nd->region[r];
		bool disk = (reg->ns_bound && reg->claim == ND_CLAIM_NONE) || reg->claim == ND_CLAIM_PFN ||
			    reg->claim == ND_CLAIM_BTT;
		if (disk && reg->disk_minor == m)
			return true;
		for (int n = 1; reg->pmem_ns && n < reg->nr_pmem_ns; n++) {
			const struct nd_namespace_pmem *ns = &reg->pmem_ns[n];
			bool claim_disk = ns->cl.claim == ND_CLAIM_PFN || ns->cl.claim == ND_CLAIM_BTT;
			if ((ns->bound || claim_disk) && ns->minor == m)
				return true;
		}
	}
	return false;
}

int nd_blk_minor_alloc(struct kernel *k)
{
	int m = 0;
	while (minor_taken(k, m))
		m++;
	return m;
}

/* pmem_attach_disk(): nd_pmem requests the namespace's extent under its name; the disk takes the lowest free blkext minor */
static int ns_attach(struct kernel *k, struct nd_e820_region *reg, int region, int n)
{
	struct nd_namespace_pmem *ns = &reg->pmem_ns[n];
	ns->minor = nd_blk_minor_alloc(k);
	char name[32];
	snprintf(name, sizeof(name), "namespace%d.%d", region, n);
	ns->res = request_mem_region(&k->iomem_resource, reg->start + ns->dpa, ns->size, name,
				     IORESOURCE_MEM | IORESOURCE_BUSY);
	if (!ns->res)
		return -EBUSY;
	ns->bound = true;
	nd_pmem_ns_probed(reg, n);
	return 0;
}

static void ns_detach(struct nd_namespace_pmem *ns)
{
	if (ns->res)
		release_resource_free(ns->res);
	ns->res = NULL;
	ns->bound = false;
}

int nd_pmem_ns_bind(struct kernel *k, int region, int n, bool bind)
{
	struct nd_e820_region *reg = labelled_region(k, region);
	struct nd_namespace_pmem *ns = reg && n > 0 ? nd_pmem_ns(reg, n) : NULL;
	if (!ns || !k->nd->nd_pmem || ns->bound == bind)
		return -ENODEV;
	if (!bind) {
		ns_detach(ns);
		return 0;
	}
	if (!ns->size || ns->cl.claim != ND_CLAIM_NONE || nd_seed_has_ns(reg, n))
		return -ENXIO;	/* nd_pmem_probe(): a namespace without capacity, or a claimed one */
	return ns_attach(k, reg, region, n);
}

void nd_pmem_ns_attach_all(struct kernel *k, int region)
{
	struct nd_e820_region *reg = labelled_region(k, region);
	if (!reg || !k->nd->nd_pmem)
		return;
	for (int n = 1; n < nd_region_nr_namespaces(reg); n++)
		if (nd_pmem_ns(reg, n) && reg->pmem_ns[n].size && !reg->pmem_ns[n].bound &&
		    reg->pmem_ns[n].cl.claim == ND_CLAIM_NONE && !nd_seed_has_ns(reg, n))
			ns_attach(k, reg, region, n);
}

void nd_pmem_ns_detach_all(struct nd_e820_region *reg)
{
	for (int n = 1; reg->pmem_ns && n < reg->nr_pmem_ns; n++)
		ns_detach(&reg->pmem_ns[n]);
}

void nd_pmem_labels_free(struct nd_e820_region *reg)
{
	free(reg->pmem_ns);
	reg->pmem_ns = NULL;
	reg->nr_pmem_ns = 0;
}
