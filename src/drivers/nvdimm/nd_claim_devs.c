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

bool nd_claim_dev_holds(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	return reg->claim == kind && kind != ND_CLAIM_NONE && reg->claim_id == n;
}

/* dev->driver of kindR.n: the claim's driver bound and not unbound since */
bool nd_claim_dev_bound(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	return nd_claim_dev_holds(reg, kind, n) && !reg->claim_idle;
}

static bool is_seed(const struct nd_e820_region *reg, enum nd_claim kind, int n)
{
	return kind != ND_CLAIM_NONE && n == reg->seed[kind];
}

bool nd_claim_dev_get(const struct nd_e820_region *reg, enum nd_claim kind, int n, struct nd_claim_cfg *cfg)
{
	if (nd_claim_dev_holds(reg, kind, n)) {
		memset(cfg, 0, sizeof(*cfg));
		snprintf(cfg->uuid, sizeof(cfg->uuid), "%s", reg->uuid);
		cfg->align = reg->align;
		cfg->mode = reg->pfn_mode;
		cfg->lbasize = reg->lbasize;
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
	if (nd_claim_dev_holds(reg, kind, n)) {
		snprintf(reg->uuid, sizeof(reg->uuid), "%s", cfg->uuid);
		reg->align = cfg->align;
		reg->pfn_mode = cfg->mode;
		reg->lbasize = cfg->lbasize;
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
static bool class_admits(const struct nd_e820_region *reg, enum nd_claim kind)
{
	return reg->claim_class == ND_CLAIM_NONE || reg->claim_class == kind;
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
	if (holds && nd_claim_dev_holds(reg, kind, n))
		return nd_namespace_release(k, region, false);	/* not a seed: the device is unregistered */
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
	if (!class_admits(reg, kind))
		return -EBUSY;
	if (other > 0) {
		const struct nd_namespace_pmem *pns = nd_pmem_ns(reg, other);
		/* memhp keeps one claim a region, namespaceR.0's (DESIGN, "Labelled namespaces") */
		return pns && pns->size ? -EOPNOTSUPP : -ENXIO;
	}
	if (!nd_namespace_active(reg) || nd_ns0_size(reg) < SZ_16M)
		return -ENXIO;		/* "%s too small to host" */
	if (reg->claim != ND_CLAIM_NONE || reg->seed_ns != ND_CLAIM_NONE)
		return -EBUSY;		/* "%s already claimed" */
	reg->seed_ns = kind;
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
	if (reg->ns_bound)
		return -EBUSY;		/* "is active, can't bind" */
	if (!cfg.uuid[0] || (kind == ND_CLAIM_BTT && !cfg.lbasize))
		return -ENODEV;		/* "incomplete btt configuration", nvdimm_setup_pfn() */
	unsigned long align = cfg.align ? cfg.align : SZ_2M;
	if (kind != ND_CLAIM_BTT && cfg.mode != PFN_MODE_NONE && !nd_claim_dev_holds(reg, kind, n) &&
	    nd_media_settings_mismatch(k, region, kind, cfg.uuid, align)) {
		/* the probe fails, yet nd_bus_probe() advances the seeds on -EOPNOTSUPP: the seed keeps the namespace */
		nd_media_claim_unbound(k, region, kind, cfg.uuid, align, true);
		return -EOPNOTSUPP;
	}
	return nd_namespace_claim_cfg(k, region, kind, &cfg);
}

/* unbind_store(): ENODEV unless the device is bound to the driver; its remove keeps the claim */
int nd_claim_dev_unbind(struct kernel *k, int region, enum nd_claim kind, int n)
{
	struct nd_e820_region *reg = claim_region(k, region);
	if (!reg || !nd_claim_dev_bound(reg, kind, n) || (kind == ND_CLAIM_DAX && !reg->dax))
		return -ENODEV;
	return nd_claim_driver_remove(k, region);
}
