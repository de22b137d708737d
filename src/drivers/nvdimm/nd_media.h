/* SPDX-License-Identifier: MIT */
/*
 * The persistent memory's media: a namespace's bytes are the guest memory
 * behind its range (the legacy PMEM's RAM, an NVDIMM's memory backend), read
 * and written through the machine's host pointers. The info blocks that
 * claim a namespace live there as Linux 6.1 lays them out, 4 KiB into the
 * namespace: struct nd_pfn_sb (pfn_devs.c, fsdax and devdax) and struct
 * btt_sb (btt.c, sector mode, BTT 1.1); nd_pmem's probe of a raw namespace
 * decides from them.
 */
#ifndef MEMHP_DRIVERS_NVDIMM_ND_MEDIA_H
#define MEMHP_DRIVERS_NVDIMM_ND_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nd_e820.h"

struct kernel;

/* the namespace's bytes off .. off+len-1: 0, -EINVAL past its end, -EIO where no memory backs it */
int nd_media_read(struct kernel *k, int region, uint64_t off, void *buf, size_t len);
int nd_media_write(struct kernel *k, int region, uint64_t off, const void *buf, size_t len);

/*
 * The claim's info block, as the claiming driver writes it once the claim
 * is set up (nd_pfn_init() for pfn and dax, btt_arena_write_layout() for
 * btt): from the region's claim, uuid, align, data_offset and claim_size.
 */
void nd_media_write_info(struct kernel *k, int region);

/*
 * btt.c's alloc_arena() for the one arena over a namespace of nssize bytes
 * (BTT 1.1, 4 KiB in): the sectors of lbasize bytes it exports
 */
uint64_t nd_btt_external_nlba(uint64_t nssize, uint64_t lbasize);

/*
 * nd_pfn_validate() and nd_btt_arena_is_valid(): the kind of the valid info
 * block on the namespace's media (ND_CLAIM_NONE for none), with its uuid
 * (text) and align (pfn, dax) in *uuid and *align.
 */
enum nd_claim nd_media_info_kind(struct kernel *k, int region, char uuid[37], unsigned long *align);

/*
 * nd_pfn_init()'s nd_pfn_validate() with a configured seed: the media holds
 * a valid block of the kind whose uuid is the seed's but whose align is
 * not ("init failed, settings mismatch": the probe fails with -EOPNOTSUPP).
 */
bool nd_media_settings_mismatch(struct kernel *k, int region, enum nd_claim kind, const char *uuid,
				unsigned long align);

/*
 * A device of the kind holds the namespace with no driver bound to it:
 * the seed itself whose probe failed (was_seed: the seed moves on to the
 * lowest free id), or a new device at the lowest free id.
 */
void nd_media_claim_unbound(struct kernel *k, int region, enum nd_claim kind, const char *uuid,
			    unsigned long align, bool was_seed);

/*
 * nd_pmem_probe() of a raw namespace without force_raw: nd_btt_probe,
 * nd_pfn_probe and nd_dax_probe look for their info block; the first that
 * finds one registers a new device (the lowest free id, not the seed) that
 * claims the namespace, and nd_pmem's probe fails with -ENXIO. 0: no info
 * block, nd_pmem may attach the raw disk.
 */
int nd_media_probe(struct kernel *k, int region);

/*
 * ndctl's zero_info_block(): the namespace's first 8 KiB read raw, and
 * zeroed when not all zero. 0 when it zeroed them, 1 when they were zero
 * already (ndctl then does not count a legacy namespace as destroyed).
 */
int nd_media_zero_info(struct kernel *k, int region);

/*
 * The block device over the media, as /dev/pmemR reads it: nd_pmem's raw
 * disk (the whole namespace) or the pfn claim's (after the info block's
 * reservation). *off_out and *len_out: where in the namespace and how long;
 * -ENXIO when no such disk is attached (a btt's pmemRs translates sectors
 * through its map, which memhp does not model).
 */
int nd_media_disk(struct kernel *k, int region, uint64_t *off_out, uint64_t *len_out);

#endif
