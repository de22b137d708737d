// SPDX-License-Identifier: MIT
/*
 * The namespaces' media and the info blocks on it (drivers/nvdimm/pfn.h,
 * pfn_devs.c nd_pfn_init() and nd_pfn_validate(), btt.h, btt.c
 * btt_arena_write_layout(), btt_devs.c nd_btt_version(), core.c
 * nd_sb_checksum(), pmem.c nd_pmem_probe()), Linux 6.1.
 *
 * memhp's guest memory is real: the bytes of a legacy PMEM range or an
 * NVDIMM are the machine's, reached through boot.host_ptr. Whatever a
 * claim wrote there stays until something overwrites it, so a namespace
 * released without zeroing its info block is claimed again when nd_pmem
 * next probes it, as on Linux.
 */
#include "nd_media.h"
#include "../../kernel/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SZ_4K		4096ULL
#define SZ_8K		8192ULL
#define SZ_16M		(16ULL << 20)
#define SZ_2M		(2ULL << 20)

/* struct nd_pfn_sb (pfn.h, minor version 4): the fields' byte offsets, all little-endian */
#define PFN_SIG_LEN		16
#define PFN_SIG			"NVDIMM_PFN_INFO"
#define DAX_SIG			"NVDIMM_DAX_INFO"
#define PFN_UUID		16
#define PFN_PARENT_UUID		32
#define PFN_FLAGS		48
#define PFN_VERSION_MAJOR	52
#define PFN_VERSION_MINOR	54
#define PFN_DATAOFF		56
#define PFN_NPFNS		64
#define PFN_MODE		72
#define PFN_START_PAD		76
#define PFN_END_TRUNC		80
#define PFN_ALIGN		84
#define PFN_PAGE_SIZE		88
#define PFN_PAGE_STRUCT_SIZE	92
#define MAX_STRUCT_PAGE_SIZE	64

/* struct btt_sb (btt.h) */
#define BTT_UUID		16
#define BTT_PARENT_UUID		32
#define BTT_FLAGS		48
#define BTT_VERSION_MAJOR	52
#define BTT_VERSION_MINOR	54
#define BTT_EXTERNAL_LBASIZE	56
#define BTT_EXTERNAL_NLBA	60
#define BTT_INTERNAL_LBASIZE	64
#define BTT_INTERNAL_NLBA	68
#define BTT_NFREE		72
#define BTT_INFOSIZE		76
#define BTT_NEXTOFF		80
#define BTT_DATAOFF		88
#define BTT_MAPOFF		96
#define BTT_LOGOFF		104
#define BTT_INFO2OFF		112
#define BTT_PG_SIZE		4096ULL
#define BTT_NFREE_LANES		256ULL	/* ND_MAX_LANES */
#define BTT_LOG_GRP_SIZE	64ULL
#define BTT_MAP_ENT_SIZE	4ULL
#define BTT_INT_LBASIZE_ALIGN	64ULL	/* INT_LBASIZE_ALIGNMENT: the internal sector size's rounding */

/* both structures end in the checksum of nd_gen_sb */
#define SB_CHECKSUM		(SZ_4K - 8)

static const char btt_sig[16] = "BTT_ARENA_INFO";	/* BTT_SIG, NUL-padded to BTT_SIG_LEN */

static struct nd_e820_region *media_region(struct kernel *k, int region)
{
	return k->nd && region >= 0 && region < k->nd->nr_regions ? &k->nd->region[region] : NULL;
}

/* the host memory of one page-bounded piece of the namespace, or NULL */
static void *media_ptr(struct kernel *k, const struct nd_e820_region *reg, uint64_t off, size_t len)
{
	if (!k->boot.host_ptr)
		return NULL;
	return k->boot.host_ptr(k->boot.host_opaque, nd_ns0_start(reg) + off, len);
}

static int media_io(struct kernel *k, int region, uint64_t off, void *rbuf, const void *wbuf, size_t len)
{
	const struct nd_e820_region *reg = media_region(k, region);
	if (!reg)
		return -ENODEV;
	if (off > nd_ns0_size(reg) || len > nd_ns0_size(reg) - off)
		return -EINVAL;
	while (len) {
		size_t n = (size_t)(SZ_4K - (off & (SZ_4K - 1)));
		if (n > len)
			n = len;
		char *p = media_ptr(k, reg, off, n);
		if (!p)
			return -EIO;	/* a range no guest memory backs: nothing to read or keep */
		if (rbuf) {
			memcpy(rbuf, p, n);
			rbuf = (char *)rbuf + n;
		} else {
			memcpy(p, wbuf, n);
			wbuf = (const char *)wbuf + n;
		}
		off += n;
		len -= n;
	}
	return 0;
}

int nd_media_read(struct kernel *k, int region, uint64_t off, void *buf, size_t len)
{
	return media_io(k, region, off, buf, NULL, len);
}

int nd_media_write(struct kernel *k, int region, uint64_t off, const void *buf, size_t len)
{
	return media_io(k, region, off, NULL, buf, len);
}

static void put16(unsigned char *b, size_t at, uint16_t v)
{
	b[at] = (unsigned char)v;
	b[at + 1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[at + i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *b, size_t at, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[at + i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *b, size_t at)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | b[at + i];
	return v;
}

static uint64_t get64(const unsigned char *b, size_t at)
{
	return (uint64_t)get32(b, at + 4) << 32 | get32(b, at);
}

/* nd_sb_checksum(): nd_fletcher64() of the 4 KiB block with its checksum field zero */
static uint64_t sb_checksum(const unsigned char *sb)
{
	uint32_t lo = 0;
	uint64_t hi = 0;
	for (size_t i = 0; i < SZ_4K; i += 4) {
		lo += i >= SB_CHECKSUM ? 0 : get32(sb, i);
		hi += lo;
	}
	return hi << 32 | lo;
}

/* nd_uuid_parse(): 32 hex digits, dashes skipped, bytes in text order */
static void uuid_to_bytes(const char *s, unsigned char *out)
{
	memset(out, 0, 16);
	for (int i = 0; *s && i < 32; s++) {
		int v = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
		if (v < 0)
			continue;
		out[i / 2] |= (unsigned char)(i % 2 ? v : v << 4);
		i++;
	}
}

/* %pUb */
static void uuid_to_text(const unsigned char *u, char out[37])
{
	int n = 0;
	for (int i = 0; i < 16; i++)
		n += snprintf(out + n, (size_t)(37 - n), "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
}

/*
 * nd_pfn_init(), PFN_MODE_PMEM: the reservation (dataoff), the pfns after it
 * and the end truncated to the alignment. The parent uuid is the
 * namespace's (nd_dev_to_uuid()): an io namespace has none, and memhp keeps
 * none for a labelled one either, so it stays zero.
 */
static void pfn_sb_fill(const struct nd_e820_region *reg, unsigned char *sb)
{
	uint64_t end_trunc = nd_ns0_size(reg) - reg->data_offset - reg->claim_size;
	memset(sb, 0, SZ_4K);
	memcpy(sb, reg->claim == ND_CLAIM_DAX ? DAX_SIG : PFN_SIG, PFN_SIG_LEN - 1);
	uuid_to_bytes(reg->uuid, sb + PFN_UUID);
	put16(sb, PFN_VERSION_MAJOR, 1);
	put16(sb, PFN_VERSION_MINOR, 4);
	put64(sb, PFN_DATAOFF, reg->data_offset);
	put64(sb, PFN_NPFNS, (nd_ns0_size(reg) - reg->data_offset - end_trunc) / SZ_4K);
	put32(sb, PFN_MODE, reg->pfn_mode);	/* enum nd_pfn_mode has Linux's values */
	put32(sb, PFN_END_TRUNC, (uint32_t)end_trunc);
	put32(sb, PFN_ALIGN, (uint32_t)reg->align);
	put32(sb, PFN_PAGE_SIZE, (uint32_t)SZ_4K);
	put16(sb, PFN_PAGE_STRUCT_SIZE, MAX_STRUCT_PAGE_SIZE);
	put64(sb, SB_CHECKSUM, sb_checksum(sb));
}

/* struct arena_info of btt.c's alloc_arena(): one arena over the namespace after its first 4 KiB */
struct btt_layout {
	uint64_t external_lbasize, internal_lbasize;
	uint64_t internal_nlba, external_nlba, dataoff, mapoff, logoff, info2off;
};

static struct btt_layout btt_layout(uint64_t nssize, uint64_t lbasize)
{
	struct btt_layout l;
	l.external_lbasize = lbasize;
	l.internal_lbasize = (lbasize + BTT_INT_LBASIZE_ALIGN - 1) / BTT_INT_LBASIZE_ALIGN * BTT_INT_LBASIZE_ALIGN;
	uint64_t avail = nssize - SZ_4K;	/* nd_btt_version(): BTT 1.1 starts 4 KiB in */
	avail -= avail % BTT_PG_SIZE;
	avail -= 2 * BTT_PG_SIZE;		/* the info block and its copy */
	uint64_t logsize = (BTT_NFREE_LANES * BTT_LOG_GRP_SIZE + BTT_PG_SIZE - 1) / BTT_PG_SIZE * BTT_PG_SIZE;
	avail -= logsize;
	l.internal_nlba = (avail - BTT_PG_SIZE) / (l.internal_lbasize + BTT_MAP_ENT_SIZE);
	l.external_nlba = l.internal_nlba - BTT_NFREE_LANES;
	uint64_t mapsize = (l.external_nlba * BTT_MAP_ENT_SIZE + BTT_PG_SIZE - 1) / BTT_PG_SIZE * BTT_PG_SIZE;
	/* offsets relative to the arena's info block (btt_info_write()) */
	l.dataoff = BTT_PG_SIZE;
	l.mapoff = l.dataoff + (avail - mapsize);
	l.logoff = l.mapoff + mapsize;
	l.info2off = l.logoff + logsize;
	return l;
}

uint64_t nd_btt_external_nlba(uint64_t nssize, uint64_t lbasize)
{
	return btt_layout(nssize, lbasize).external_nlba;
}

static void btt_sb_fill(const struct nd_e820_region *reg, unsigned char *sb, const struct btt_layout *l)
{
	memset(sb, 0, SZ_4K);
	memcpy(sb, btt_sig, sizeof(btt_sig));
	uuid_to_bytes(reg->uuid, sb + BTT_UUID);
	put16(sb, BTT_VERSION_MAJOR, 1);
	put16(sb, BTT_VERSION_MINOR, 1);
	put32(sb, BTT_EXTERNAL_LBASIZE, (uint32_t)l->external_lbasize);
	put32(sb, BTT_EXTERNAL_NLBA, (uint32_t)l->external_nlba);
	put32(sb, BTT_INTERNAL_LBASIZE, (uint32_t)l->internal_lbasize);
	put32(sb, BTT_INTERNAL_NLBA, (uint32_t)l->internal_nlba);
	put32(sb, BTT_NFREE, (uint32_t)BTT_NFREE_LANES);
	put32(sb, BTT_INFOSIZE, (uint32_t)SZ_4K);
	put64(sb, BTT_NEXTOFF, 0);	/* the last (only) arena */
	put64(sb, BTT_DATAOFF, l->dataoff);
	put64(sb, BTT_MAPOFF, l->mapoff);
	put64(sb, BTT_LOGOFF, l->logoff);
	put64(sb, BTT_INFO2OFF, l->info2off);
	put64(sb, SB_CHECKSUM, sb_checksum(sb));
}

void nd_media_write_info(struct kernel *k, int region)
{
	const struct nd_e820_region *reg = media_region(k, region);
	unsigned char sb[SZ_4K];
	if (!reg || reg->claim == ND_CLAIM_NONE)
		return;
	if (reg->claim == ND_CLAIM_BTT) {
		struct btt_layout l = btt_layout(nd_ns0_size(reg), reg->lbasize ? reg->lbasize : 4096);
		btt_sb_fill(reg, sb, &l);
		/* btt_arena_write_layout(): the info block and its copy at the arena's end */
		nd_media_write(k, region, SZ_4K, sb, sizeof(sb));
		nd_media_write(k, region, SZ_4K + l.info2off, sb, sizeof(sb));
		return;
	}
	pfn_sb_fill(reg, sb);
	nd_media_write(k, region, SZ_4K, sb, sizeof(sb));
}

static bool zero_uuid(const unsigned char *u)
{
	for (int i = 0; i < 16; i++)
		if (u[i])
			return false;
	return true;
}

/* what nd_pfn_validate() takes from a valid pfn or dax block, or the btt's */
struct media_info {
	enum nd_claim kind;
	char uuid[37];
	unsigned long align;
	uint64_t dataoff, npfns;
};

/* nd_btt_arena_is_valid() for BTT 1.1, then nd_pfn_validate() for PFN_SIG and DAX_SIG */
static struct media_info media_info(struct kernel *k, int region)
{
	struct media_info mi = { .kind = ND_CLAIM_NONE };
	const struct nd_e820_region *reg = media_region(k, region);
	unsigned char sb[SZ_4K];
	if (!reg || nd_media_read(k, region, SZ_4K, sb, sizeof(sb)))
		return mi;
	bool csum_ok = get64(sb, SB_CHECKSUM) == sb_checksum(sb);
	if (!memcmp(sb, btt_sig, sizeof(btt_sig)) && csum_ok && zero_uuid(sb + BTT_PARENT_UUID) &&
	    nd_ns0_size(reg) >= SZ_16M && sb[BTT_VERSION_MAJOR] == 1 && sb[BTT_VERSION_MINOR] == 1) {
		mi.kind = ND_CLAIM_BTT;
		uuid_to_text(sb + BTT_UUID, mi.uuid);
		return mi;
	}
	bool pfn = !memcmp(sb, PFN_SIG, PFN_SIG_LEN), dax = !memcmp(sb, DAX_SIG, PFN_SIG_LEN);
	if (!(pfn || dax) || !csum_ok || !zero_uuid(sb + PFN_PARENT_UUID))
		return mi;
	uint64_t dataoff = get64(sb, PFN_DATAOFF), npfns = get64(sb, PFN_NPFNS);
	unsigned long align = get32(sb, PFN_ALIGN);
	/* nd_pfn_validate(): a known memmap mode, a sane alignment, data inside the namespace */
	if ((get32(sb, PFN_MODE) != PFN_MODE_PMEM && get32(sb, PFN_MODE) != PFN_MODE_RAM) || !align || (align & (align - 1)) ||
	    get32(sb, PFN_PAGE_SIZE) != SZ_4K || dataoff < SZ_8K || dataoff >= nd_ns0_size(reg) ||
	    npfns > (nd_ns0_size(reg) - dataoff) / SZ_4K)
		return mi;
	mi.kind = dax ? ND_CLAIM_DAX : ND_CLAIM_PFN;
	uuid_to_text(sb + PFN_UUID, mi.uuid);
	mi.align = align;
	mi.dataoff = dataoff;
	mi.npfns = npfns;
	return mi;
}

enum nd_claim nd_media_info_kind(struct kernel *k, int region, char uuid[37], unsigned long *align)
{
	struct media_info mi = media_info(k, region);
	if (uuid)
		memcpy(uuid, mi.uuid, sizeof(mi.uuid));
	if (align)
		*align = mi.align;
	return mi.kind;
}

int nd_media_probe(struct kernel *k, int region)
{
	struct nd_e820_region *reg = media_region(k, region);
	if (!reg || reg->force_raw || reg->claim != ND_CLAIM_NONE || nd_seed_has_ns(reg, 0))
		return 0;	/* nd_btt_probe() and the others: -ENODEV under force_raw; a seed's claim is the seed's */
	struct media_info mi = media_info(k, region);
	if (mi.kind == ND_CLAIM_NONE)
		return 0;
	/* the new device is not the seed: the seed and its configuration stay */
	int seed = reg->seed[mi.kind];
	enum nd_claim seed_ns = reg->seed_ns;
	struct nd_claim_cfg seed_cfg = reg->seed_cfg[mi.kind];
	if (mi.kind == ND_CLAIM_DAX && !k->nd->dax_pmem) {
		/* nd_dax_probe() registers the claim; no driver binds it yet */
		nd_media_claim_unbound(k, region, ND_CLAIM_DAX, mi.uuid, mi.align, false);
		return -ENXIO;
	}
	if (nd_namespace_claim(k, region, mi.kind, mi.uuid, mi.align))
		return -ENXIO;	/* the claiming device failed to enable; nd_pmem still declines */
	reg->seed[mi.kind] = seed;
	reg->claim_id = nd_claim_free_id(reg, mi.kind);	/* nd_*_alloc(): the lowest id the region's ida has free */
	reg->seed_ns = seed_ns;
	reg->seed_cfg[mi.kind] = seed_cfg;
	return -ENXIO;
}

bool nd_media_settings_mismatch(struct kernel *k, int region, enum nd_claim kind, const char *uuid,
				unsigned long align)
{
	struct media_info mi = media_info(k, region);
	return mi.kind == kind && kind != ND_CLAIM_BTT && !strcasecmp(mi.uuid, uuid) && mi.align != align;
}

void nd_media_claim_unbound(struct kernel *k, int region, enum nd_claim kind, const char *uuid,
			    unsigned long align, bool was_seed)
{
	struct nd_e820_region *reg = media_region(k, region);
	if (!reg)
		return;
	int seed = reg->seed[kind];
	reg->claim = kind;
	reg->claim_id = was_seed ? seed : nd_claim_free_id(reg, kind);
	reg->claim_idle = true;
	if (was_seed) {
		reg->seed[kind] = nd_claim_free_id(reg, kind);
		reg->seed_ns = ND_CLAIM_NONE;	/* the fresh seed: no namespace, mode none */
		memset(&reg->seed_cfg[kind], 0, sizeof(reg->seed_cfg[kind]));
	}
	snprintf(reg->uuid, sizeof(reg->uuid), "%s", uuid);
	reg->align = align;
	reg->pfn_mode = kind == ND_CLAIM_BTT ? PFN_MODE_NONE : PFN_MODE_PMEM;
	reg->data_offset = 0;	/* only an enabled device knows its reservation */
	reg->claim_size = 0;
}

int nd_media_zero_info(struct kernel *k, int region)
{
	unsigned char buf[SZ_8K];
	static const unsigned char zero[SZ_8K];
	if (nd_media_read(k, region, 0, buf, sizeof(buf)))
		return 1;	/* "failed to read info block, continuing" */
	if (!memcmp(buf, zero, sizeof(buf)))
		return 1;
	return nd_media_write(k, region, 0, zero, sizeof(zero)) ? -ENXIO : 0;
}

int nd_media_disk(struct kernel *k, int region, uint64_t *off_out, uint64_t *len_out)
{
	const struct nd_e820_region *reg = media_region(k, region);
	if (!reg)
		return -ENXIO;
	if (reg->ns_bound && reg->claim == ND_CLAIM_NONE) {
		*off_out = 0;
		*len_out = nd_ns0_size(reg);
		return 0;
	}
	if (reg->claim == ND_CLAIM_PFN && reg->ns_res) {
		*off_out = reg->data_offset;
		*len_out = reg->claim_size;
		return 0;
	}
	return -ENXIO;
}
