// SPDX-License-Identifier: MIT
/*
 * The sysfs ABI through which ndctl configures and enables the devices that
 * claim a namespace (Linux 6.1): pfnR.N, bttR.N and daxR.N's uuid, mode,
 * align, sector_size and namespace (pfn_devs.c, btt_devs.c, claim.c), the
 * namespace's holder, holder_class and force_raw (namespace_devs.c), and
 * nd_pmem's and dax_pmem's bind and unbind (drivers/base/bus.c). The state
 * behind them is nd_claim_devs.c's and nd_e820.c's.
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/kernel.h"
#include "sysfs_nd.h"

#define SZ_2M	(2UL << 20)

static const char *const claim_prefix[] = { "", "pfn", "btt", "dax" };

/* the nd kind of a claiming device's directory as the claim's kind (NONE for any other) */
static enum nd_claim ctx_claim_kind(struct vfs_ctx *c)
{
	switch (nd_kind(c)) {
	case ND_PFN:
		return ND_CLAIM_PFN;
	case ND_BTT:
		return ND_CLAIM_BTT;
	case ND_DAX:
		return ND_CLAIM_DAX;
	default:
		return ND_CLAIM_NONE;
	}
}

static int ctx_n(struct vfs_ctx *c) { return ND_N(c->arg[c->nargs - 1]); }
static int ctx_r(struct vfs_ctx *c) { return ND_REG(c->arg[c->nargs - 1]); }

bool nd_is_claim_dev(struct vfs_ctx *c) { return ctx_claim_kind(c) != ND_CLAIM_NONE; }

int ctx_ns_index(struct vfs_ctx *c) { return nd_kind(c) == ND_NS ? ctx_n(c) : 0; }

struct nd_ns_claim *ctx_ns_claim(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	return reg ? nd_ns_claim((struct nd_e820_region *)reg, ctx_ns_index(c)) : NULL;
}

int ctx_dev_ns(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	return reg ? nd_claim_dev_ns(reg, ctx_claim_kind(c), ctx_n(c)) : -1;
}

const struct nd_ns_claim *ctx_dev_claim(struct vfs_ctx *c)
{
	int ns = ctx_dev_ns(c);
	return ns < 0 ? NULL : nd_ns_claim((struct nd_e820_region *)ctx_region(c), ns);
}

/* dev->driver of the directory's pfn, btt or dax device */
bool nd_dev_bound(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	enum nd_claim kind = ctx_claim_kind(c);
	const struct nd_ns_claim *cl = ctx_dev_claim(c);
	return reg && cl && nd_claim_dev_bound(reg, kind, ctx_n(c)) && (kind != ND_CLAIM_DAX || cl->dax);
}

static int ctx_cfg(struct vfs_ctx *c, struct nd_claim_cfg *cfg)
{
	const struct nd_e820_region *reg = ctx_region(c);
	return reg && nd_claim_dev_get(reg, ctx_claim_kind(c), ctx_n(c), cfg) ? 0 : -ENXIO;
}

static int ctx_configure(struct vfs_ctx *c, const struct nd_claim_cfg *cfg)
{
	return nd_claim_dev_configure(c->k, ctx_r(c), ctx_claim_kind(c), ctx_n(c), cfg);
}

/* the written value without the one trailing newline sysfs_strip_cr() drops */
static void strip_cr(const char *buf, char *out, size_t len)
{
	snprintf(out, len, "%s", buf);
	size_t n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[n - 1] = '\0';
}

/* ---- uuid: nd_uuid_store() ---- */

static int hexval(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
	       ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* nd_uuid_parse(): 16 hex pairs, each optionally followed by '-', ':', '\n' or the end; printed as %pUb */
static int uuid_parse(const char *buf, char out[37])
{
	const char *s = buf;
	unsigned char u[16];
	for (int i = 0; i < 16; i++) {
		if (hexval(s[0]) < 0 || hexval(s[1]) < 0)
			return -EINVAL;
		u[i] = (unsigned char)(hexval(s[0]) << 4 | hexval(s[1]));
		s += 2;
		if (*s == '-' || *s == ':' || *s == '\n')
			s++;
	}
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	return 0;
}

int nd_attr_uuid_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct nd_claim_cfg cfg;
	int rc = ctx_cfg(c, &cfg);
	if (rc)
		return rc;
	sb_printf(out, "%s\n", cfg.uuid);
	return 0;
}

int nd_attr_uuid_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_claim_cfg cfg;
	char u[37];
	int rc = ctx_cfg(c, &cfg);
	if (rc)
		return rc;
	if (nd_dev_bound(c))
		return -EBUSY;
	rc = uuid_parse(buf, u);
	if (rc)
		return rc;
	memcpy(cfg.uuid, u, sizeof(cfg.uuid));
	return ctx_configure(c, &cfg);
}

/* ---- align (pfn, dax) and sector_size (btt): nd_size_select_store() ---- */

static const unsigned long pfn_aligns[] = { 4096, SZ_2M, 1UL << 30, 0 };	/* nd_pfn_supported_alignments() */
static const unsigned long btt_lbasizes[] = { 512, 520, 528, 4096, 4104, 4160, 4224, 0 };	/* btt_lbasize_supported */

/* dev->driver first (EBUSY), then kstrtoul(buf, 0) (EINVAL, ERANGE), then one of the supported values */
static int size_select(struct vfs_ctx *c, const char *buf, const unsigned long *supported, unsigned long *val)
{
	if (nd_dev_bound(c))
		return -EBUSY;
	char v[64], *end;
	strip_cr(buf, v, sizeof(v));
	if (!v[0] || v[0] == '-' || v[0] == '+' || v[0] == ' ')
		return -EINVAL;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	for (int i = 0; supported[i]; i++)
		if (x == supported[i]) {
			*val = supported[i];
			return 0;
		}
	return -EINVAL;
}

int nd_attr_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct nd_claim_cfg cfg;
	int rc = ctx_cfg(c, &cfg);
	if (rc)
		return rc;
	sb_printf(out, "%lu\n", cfg.align ? cfg.align : SZ_2M);	/* nd_pfn_devinit(): nd_pfn_default_alignment() */
	return 0;
}

int nd_attr_align_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_claim_cfg cfg;
	int rc = ctx_cfg(c, &cfg);
	if (!rc)
		rc = size_select(c, buf, pfn_aligns, &cfg.align);
	return rc ? rc : ctx_configure(c, &cfg);
}

/* nd_size_select_show(): the supported sizes, the selected one in brackets */
int nd_attr_sector_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct nd_claim_cfg cfg;
	int rc = ctx_cfg(c, &cfg);
	if (rc)
		return rc;
	for (int i = 0; btt_lbasizes[i]; i++)
		sb_printf(out, btt_lbasizes[i] == cfg.lbasize ? "[%lu] " : "%lu ", btt_lbasizes[i]);
	sb_puts(out, "\n");
	return 0;
}

int nd_attr_sector_size_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_claim_cfg cfg;
	int rc = ctx_cfg(c, &cfg);
	if (!rc)
		rc = size_select(c, buf, btt_lbasizes, &cfg.lbasize);
	return rc ? rc : ctx_configure(c, &cfg);
}

/* nd_pfn_supported_alignments(): 4 KiB, PMD and PUD sizes on x86 */
int nd_attr_supported_alignments_show(struct vfs_ctx *c, struct sbuf *out)
{
	for (int i = 0; pfn_aligns[i]; i++)
		sb_printf(out, "%lu ", pfn_aligns[i]);
	sb_puts(out, "\n");
	return 0;
}

int nd_attr_log_zero_flags_show(struct vfs_ctx *c, struct sbuf *out) { sb_puts(out, "Y\n"); return 0; }

/* ---- mode of a pfn or dax device: pfn_devs.c mode_show/mode_store ---- */

int nd_attr_pfn_mode_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct nd_claim_cfg cfg;
	int rc = ctx_cfg(c, &cfg);
	if (rc)
		return rc;
	sb_puts(out, cfg.mode == PFN_MODE_PMEM ? "pmem\n" : cfg.mode == PFN_MODE_RAM ? "ram\n" : "none\n");
	return 0;
}

/* mode_store() compares the first len - 1 bytes with "pmem\n" or "pmem" (likewise ram, none) */
static bool mode_is(const char *buf, const char *word)
{
	size_t len = strlen(buf), n = len && buf[len - 1] == '\n' ? len - 1 : len;
	char nl[8];
	snprintf(nl, sizeof(nl), "%s\n", word);
	return !strncmp(buf, nl, n) || !strncmp(buf, word, n);
}

int nd_attr_pfn_mode_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_claim_cfg cfg;
	int rc = ctx_cfg(c, &cfg);
	if (rc)
		return rc;
	if (nd_dev_bound(c))
		return -EBUSY;
	if (mode_is(buf, "pmem"))
		cfg.mode = PFN_MODE_PMEM;
	else if (mode_is(buf, "ram"))
		cfg.mode = PFN_MODE_RAM;
	else if (mode_is(buf, "none"))
		cfg.mode = PFN_MODE_NONE;
	else
		return -EINVAL;
	return ctx_configure(c, &cfg);
}

/* ---- namespace: nd_namespace_store() ---- */

int nd_attr_namespace_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	enum nd_claim kind = ctx_claim_kind(c);
	if (!reg)
		return -ENXIO;
	if (nd_claim_dev_holds(reg, kind, ctx_n(c)))
		sb_printf(out, "namespace%d.%d", ctx_r(c), ctx_dev_ns(c));
	else if (reg->seed_ns == kind && ctx_n(c) == reg->seed[kind])
		sb_printf(out, "namespace%d.%d", ctx_r(c), reg->seed_ns_n);
	sb_puts(out, "\n");
	return 0;
}

int nd_attr_namespace_store(struct vfs_ctx *c, const char *buf)
{
	char name[64];
	strip_cr(buf, name, sizeof(name));
	return nd_claim_dev_set_namespace(c->k, ctx_r(c), ctx_claim_kind(c), ctx_n(c), name);
}

/* ---- the namespace's force_raw, holder and holder_class ---- */

/*
 * force_raw_store(): libndctl sets it to probe a namespace raw while it
 * looks for an old info block, and clears it after. memhp's raw namespace
 * carries no info block of a former claim, so raw is what nd_pmem sees anyway.
 */
int nd_attr_force_raw_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_ns_claim *cl = ctx_ns_claim(c);
	if (!cl)
		return -ENXIO;
	sb_printf(out, "%d\n", cl->force_raw);
	return 0;
}

int nd_attr_force_raw_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_ns_claim *cl = ctx_ns_claim(c);
	if (!cl)
		return -ENXIO;
	/* kstrtobool() */
	if (strchr("0nN", buf[0]) && buf[0])
		cl->force_raw = false;
	else if (strchr("1yY", buf[0]) && buf[0])
		cl->force_raw = true;
	else
		return -EINVAL;
	return 0;
}

/* the device that holds namespaceR.ns: the claiming device, or a seed it is attached to */
static enum nd_claim holder(const struct nd_e820_region *reg, int ns, int *n)
{
	const struct nd_ns_claim *cl = nd_ns_claim((struct nd_e820_region *)reg, ns);
	if (cl && cl->claim != ND_CLAIM_NONE) {
		*n = cl->claim_id;
		return cl->claim;
	}
	if (!nd_seed_has_ns(reg, ns))
		return ND_CLAIM_NONE;
	*n = reg->seed[reg->seed_ns];
	return reg->seed_ns;
}

int nd_attr_holder_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	int n;
	if (!reg)
		return -ENXIO;
	enum nd_claim h = holder(reg, ctx_ns_index(c), &n);
	if (h != ND_CLAIM_NONE)
		sb_printf(out, "%s%d.%d", claim_prefix[h], ctx_r(c), n);
	sb_puts(out, "\n");
	return 0;
}

/* holder_class_show(): the claim_class holder_class_store() set (an io namespace has no label to set it) */
int nd_attr_holder_class_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_ns_claim *cl = ctx_ns_claim(c);
	if (!cl)
		return -ENXIO;
	sb_printf(out, "%s\n", claim_prefix[cl->claim_class]);
	return 0;
}

/*
 * holder_class_store(): -EBUSY while a driver or a claim holds the
 * namespace; "" clears the class. The class is set, and then
 * nd_namespace_label_update() has no label to write for an io namespace
 * and the write fails with -ENXIO all the same (ndctl ignores it).
 */
int nd_attr_holder_class_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_e820_region *reg = (struct nd_e820_region *)ctx_region(c);
	struct nd_ns_claim *cl = ctx_ns_claim(c);
	int ns = ctx_ns_index(c);
	char v[16];
	if (!reg || !cl)
		return -ENXIO;
	bool raw = ns == 0 ? reg->ns_bound : reg->pmem_ns[ns].bound;
	if (raw || cl->claim != ND_CLAIM_NONE || nd_seed_has_ns(reg, ns))
		return -EBUSY;
	strip_cr(buf, v, sizeof(v));
	for (enum nd_claim i = ND_CLAIM_NONE; i <= ND_CLAIM_DAX; i++)
		if (!strcmp(v, claim_prefix[i])) {
			cl->claim_class = i;
			return reg->labels_valid ? 0 : -ENXIO;
		}
	return -EINVAL;
}

/* ---- /sys/bus/nd/drivers/{nd_pmem,dax_pmem}/{bind,unbind} ---- */

/*
 * The device a name written to bind or unbind names: its region, kind and
 * id, or -ENODEV (bus_find_device_by_name() finds none, or the driver does
 * not match it: nd_pmem takes io namespaces, pfn and btt; dax_pmem dax).
 */
static int written_dev(struct vfs_ctx *c, const char *buf, bool dax_pmem, enum nd_claim *kind, int *n)
{
	static const char *const pmem_prefix[] = { "namespace", "pfn", "btt" };
	char name[64], tail[4] = "";
	unsigned long id;
	strip_cr(buf, name, sizeof(name));
	if (!nd_up(c->k) || !nd_lookup(c, name, &id))
		return -ENODEV;
	for (int i = 0; i < (dax_pmem ? 1 : 3); i++) {
		const char *p = dax_pmem ? "dax" : pmem_prefix[i];
		int r;
		char fmt[32];
		snprintf(fmt, sizeof(fmt), "%s%%d.%%d%%3s", p);
		if (sscanf(name, fmt, &r, n, tail) != 2)
			continue;
		*kind = dax_pmem ? ND_CLAIM_DAX : (enum nd_claim)i;
		return r;
	}
	return -ENODEV;
}

int sysfs_nd_drv_bind(struct vfs_ctx *c, const char *buf, bool dax_pmem)
{
	enum nd_claim kind;
	int n, r = written_dev(c, buf, dax_pmem, &kind, &n);
	if (r < 0)
		return r;
	if (kind == ND_CLAIM_NONE)	/* namespaceR.0, or a labelled namespace beside it */
		return n == 0 ? nd_pmem_set_bound(c->k, r, true) : nd_pmem_ns_bind(c->k, r, n, true);
	return nd_claim_dev_bind(c->k, r, kind, n);
}

int sysfs_nd_drv_unbind(struct vfs_ctx *c, const char *buf, bool dax_pmem)
{
	enum nd_claim kind;
	int n, r = written_dev(c, buf, dax_pmem, &kind, &n);
	if (r < 0)
		return r;
	if (kind == ND_CLAIM_NONE)
		return n == 0 ? nd_pmem_set_bound(c->k, r, false) : nd_pmem_ns_bind(c->k, r, n, false);
	return nd_claim_dev_unbind(c->k, r, kind, n);
}
