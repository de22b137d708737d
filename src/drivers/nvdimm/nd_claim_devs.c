// SPDX-License-Identifier: MIT
/*
 * The devices that claim a namespace, as libnvdimm's sysfs ABI exposes them
 * (drivers/nvdimm/pfn_devs.c, btt_devs.c, dax_devs.c, claim.c, Linux 6.1):
 * each region has a pfn, a btt and a dax seed; ndctl configures a seed
 * (uuid, mode, align, sector_size), attaches the namespace to it
 * (namespace_store) and binds it to nd_pmem or dax_pmem, whose probe claims
 * the namespace (nd_e820.c's nd_namespace_claim_cfg) and moves the seed on.
 * The claiming device keeps the namespace when its driver is unbound; only
 * writing "" to its namespace gives it back (nd_detach_and_reset: a seed
 * is reset, any other device unregistered).
 */
#include "nd_e820.h"
#include "nd_media.h"
#include "../../kernel/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SZ_16M	(16ULL << 20)	/* ND_MIN_NAMESPACE_SIZE */
#define SZ_2M	(2UL << 20)	/* a seed's default align (nd_pfn_default_alignment) */

static struct nd_e820_region *claim_region(struct kernel *k, int region)
{
	return k->nd && k->nd->registered && region >= 0 && region < k->nd->nr_regions ? &k->nd->region[region] : NULL;
}

int nd_claim_dev_ns(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	if (kind == ND_CLAIM_NONE)
		return -1;
	for (int ns = 0; ns < nd_region_nr_namespaces(reg) || ns == 0; ns++) {
		const struct nd_ns_claim *c = nd_ns_claim((struct nd_e820_region *)reg, ns);
		if (c && c->claim == kind && c->claim_id == n)
			return ns;
	}
	return -1;
}

/* the claim kindR.n holds, NULL if it holds none */
static struct nd_ns_claim *dev_claim(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	int ns = nd_claim_dev_ns(reg, kind, n);
	return ns < 0 ? NULL : nd_ns_claim((struct nd_e820_region *)reg, ns);
}

bool nd_claim_dev_holds(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	return nd_claim_dev_ns(reg, kind, n) >= 0;
}

/* dev->driver of kindR.n: the claim's driver bound and not unbound since */
bool nd_claim_dev_bound(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	const struct nd_ns_claim *c = dev_claim(reg, kind, n);
	return c && !c->claim_idle;
}

static bool is_seed(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	return kind != ND_CLAIM_NONE && n == reg->seed[kind];
}

bool nd_claim_dev_get(const struct nd_e820_region *reg, enum nd_claim kind, int n, struct nd_claim_cfg *cfg)
{
	const struct nd_ns_claim *c = dev_claim(reg, kind, n);
	if (c) {
		memset(cfg, 0, sizeof(*cfg));
		snprintf(cfg->uuid, sizeof(cfg->uuid), "%s", c->uuid);
		cfg->align = c->align;
		cfg->mode = c->pfn_mode;
		cfg->lbasize = c->lbasize;
		return true;
	}
	if (!is_seed(reg, kind, n))
		return false;
	*cfg = reg->seed_cfg[kind];
	return true;
}

int nd_claim_dev_configure(struct kernel *k, int region, enum nd_claim kind, int n, const struct nd_claim_cfg *cfg)
{
	struct nd_e820_region *reg = claim_region(k, region);
	if (!reg)
		return -ENODEV;
	if (nd_claim_dev_bound(reg, kind, n))
		return -EBUSY;		/* nd_uuid_store(), nd_size_select_store(), mode_store(): dev->driver */
	struct nd_ns_claim *c = dev_claim(reg, kind, n);
	if (c) {
		snprintf(c->uuid, sizeof(c->uuid), "%s", cfg->uuid);
		c->align = cfg->align;
		c->pfn_mode = cfg->mode;
		c->lbasize = cfg->lbasize;
		return 0;
	}
	if (!is_seed(reg, kind, n))
		return -ENODEV;
	reg->seed_cfg[kind] = *cfg;
	return 0;
}

/* nd_detach_and_reset() of the seed: the namespace goes, and the uuid, mode (pfn, dax) or lbasize (btt) */
static void seed_detach(struct nd_e820_region *reg, enum nd_claim kind)
{
	struct nd_claim_cfg *cfg = &reg->seed_cfg[kind];
	reg->seed_ns = ND_CLAIM_NONE;
	cfg->uuid[0] = '\0';
	if (kind == ND_CLAIM_BTT)
		cfg->lbasize = 0;
	else
		cfg->mode = PFN_MODE_NONE;
}

/* the namespace's claim_class (holder_class) admits only devices of its class */
static bool class_admits(const struct nd_ns_claim *cl, enum nd_claim kind)
{
	return cl->claim_class == ND_CLAIM_NONE || cl->claim_class == kind;
}

/*
 * nd_namespace_store(): busy while the driver holds the device, or while
 * it has a namespace (the same one too); "" detaches it. A name that is not
 * the region's namespace is ENODEV; one whose class is another's, or that
 * another device claims, EBUSY; one without capacity ENXIO. nd_pmem's
 * binding of the raw namespace is no claim.
 */
int nd_claim_dev_set_namespace(struct kernel *k, int region, enum nd_claim kind, int n, const char *name)
{
	struct nd_e820_region *reg = claim_region(k, region);
	char mine[32];
	if (!reg)
		return -ENODEV;
	if (nd_claim_dev_bound(reg, kind, n))
		return -EBUSY;
	snprintf(mine, sizeof(mine), "namespace%d.0", region);
	bool holds = nd_claim_dev_holds(reg, kind, n) || (is_seed(reg, kind, n) && reg->seed_ns == kind);
	if (holds && name[0])
		return -EBUSY;		/* "namespace already set to: %s", the same one too */
	if (holds && nd_claim_dev_holds(reg, kind, n))	/* not a seed: the device is unregistered */
		return nd_namespace_release_ns(k, region, nd_claim_dev_ns(reg, kind, n), false);
	if (holds) {
		seed_detach(reg, kind);
		return 0;
	}
	if (!name[0])
		return 0;
	if (!is_seed(reg, kind, n))
		return -ENODEV;
	/* another of a labelled region's namespaces: its seed has no capacity */
	int other = -1;
	char tail;
	if (strcmp(name, mine) && (sscanf(name, "namespace%*d.%d%c", &other, &tail) != 1 ||
				   !nd_region_has_namespace(reg, other) || strncmp(name, mine, strlen(mine) - 1)))
		return -ENODEV;		/* "'%s' not found under %s" */
	int ns = other > 0 ? other : 0;
	const struct nd_ns_claim *cl = nd_ns_claim(reg, ns);
	if (!class_admits(cl, kind))
		return -EBUSY;
	if (nd_ns_size(reg, ns) < SZ_16M)
		return -ENXIO;		/* "%s too small to host" */
	if (cl->claim != ND_CLAIM_NONE || reg->seed_ns != ND_CLAIM_NONE)
		return -EBUSY;		/* "%s already claimed" (memhp: one unprobed seed at a time) */
	reg->seed_ns = kind;
	reg->seed_ns_n = ns;
	return 0;
}

/*
 * The probe of a claiming device (nvdimm_namespace_common_probe(), then
 * nvdimm_namespace_attach_btt() or nvdimm_setup_pfn()): without a namespace,
 * uuid or (btt) sector size ENODEV; busy while nd_pmem holds the raw
 * namespace; a pfn or dax mode of "none" fails in nd_pfn_init() with ENXIO.
 */
int nd_claim_dev_bind(struct kernel *k, int region, enum nd_claim kind, int n)
{
	struct nd_e820_region *reg = claim_region(k, region);
	struct nd_claim_cfg cfg;
	if (!reg || !nd_claim_dev_get(reg, kind, n, &cfg))
		return -ENODEV;
	if (nd_claim_dev_bound(reg, kind, n))
		return -EBUSY;		/* __driver_probe_device(): already bound */
	if (!nd_claim_dev_holds(reg, kind, n) && reg->seed_ns != kind)
		return -ENODEV;
	int ns = nd_claim_dev_holds(reg, kind, n) ? nd_claim_dev_ns(reg, kind, n) : reg->seed_ns_n;
	if (ns == 0 ? reg->ns_bound : reg->pmem_ns[ns].bound)
		return -EBUSY;		/* "is active, can't bind" */
	if (!cfg.uuid[0] || (kind == ND_CLAIM_BTT && !cfg.lbasize))
		return -ENODEV;		/* "incomplete btt configuration", nvdimm_setup_pfn() */
	unsigned long align = cfg.align ? cfg.align : SZ_2M;
	if (ns == 0 && kind != ND_CLAIM_BTT && cfg.mode != PFN_MODE_NONE && !nd_claim_dev_holds(reg, kind, n) &&
	    nd_media_settings_mismatch(k, region, kind, cfg.uuid, align)) {
		/* the probe fails, yet nd_bus_probe() advances the seeds on -EOPNOTSUPP: the seed keeps the namespace */
		nd_media_claim_unbound(k, region, kind, cfg.uuid, align, true);
		return -EOPNOTSUPP;
	}
	return nd_namespace_claim_ns(k, region, ns, kind, &cfg);
}

/* unbind_store(): ENODEV unless the device is bound to the driver; its remove keeps the claim */
int nd_claim_dev_unbind(struct kernel *k, int region, enum nd_claim kind, int n)
{
	struct nd_e820_region *reg = claim_region(k, region);
	const struct nd_ns_claim *c = reg ? dev_claim(reg, kind, n) : NULL;
	if (!c || !nd_claim_dev_bound(reg, kind, n) || (kind == ND_CLAIM_DAX && !c->dax))
		return -ENODEV;
	return nd_claim_driver_remove_ns(k, region, nd_claim_dev_ns(reg, kind, n));
}
