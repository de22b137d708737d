// SPDX-License-Identifier: MIT
/*
 * The persistent memory's media (drivers/nvdimm/nd_media.c): the info
 * blocks memhp's claims write, byte for byte against what Linux 6.1 wrote
 * for the same namespace and modes (tests/unit/data/pmem-info-blocks.txt:
 * the oracle's `od` of /dev/pmem0 read raw after devdax, fsdax and sector,
 * recorded twice; only the uuid, which ndctl draws at random, and the
 * checksum over it differ between runs, and are not compared), then
 * validation, zeroing and the disk view.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "drivers/nvdimm/nd_e820.h"
#include "drivers/nvdimm/nd_media.h"
#include "kernel/kernel.h"
#include "kernel/resource.h"

#include "check.h"

#define NS_START	0x40000000ULL	/* memmap=512M!1G */
#define NS_SIZE		(512ULL << 20)
#define UUID		"4b5d1ec0-7f9e-4d43-8a6b-5e0b1b7f2a11"

static unsigned char *media;

static void *host_ptr(void *opaque, uint64_t paddr, uint64_t len)
{
	if (paddr < NS_START || paddr + len > NS_START + NS_SIZE)
		return NULL;
	return media + (paddr - NS_START);
}

static struct kernel *pmem_kernel(void)
{
	struct kernel *k = calloc(1, sizeof(*k));
	k->iomem_resource = (struct resource){ .start = 0, .end = ~0ULL, .name = (char *)"PCI mem" };
	k->boot.host_ptr = host_ptr;
	k->nd = calloc(1, sizeof(*k->nd));
	k->nd->registered = k->nd->nd_e820 = k->nd->nd_pmem = k->nd->dax_pmem = true;
	k->nd->nr_regions = 1;
	struct nd_e820_region *reg = &k->nd->region[0];
	reg->start = NS_START;
	reg->size = NS_SIZE;
	reg->claim_id = -1;
	reg->align = 2ULL << 20;
	reg->seed[ND_CLAIM_PFN] = reg->seed[ND_CLAIM_BTT] = reg->seed[ND_CLAIM_DAX] = 0;
	return k;
}

/* the od lines of one command: each byte at its offset; "*" repeats the line before up to the next offset */
struct od_dump {
	uint64_t start, end;
	unsigned char *b;
};

static int parse_od(FILE *f, const char *cmd, struct od_dump *d, char *next_line, size_t nlen)
{
	unsigned long long j = 0, n = 0;
	const char *pj = strstr(cmd, "-j "), *pn = strstr(cmd, "-N ");
	if (pj)
		j = strtoull(pj + 3, NULL, 10);
	if (!pn)
		return -1;
	n = strtoull(pn + 3, NULL, 10);
	d->start = j;
	d->end = j + n;
	d->b = calloc(1, n);
	unsigned char last[16];
	size_t last_n = 0;
	uint64_t repeat_from = 0;
	bool repeating = false;
	next_line[0] = '\0';
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '$') {
			snprintf(next_line, nlen, "%s", line);
			break;
		}
		if (line[0] == '*') {
			repeating = true;
			continue;
		}
		char *p = line;
		uint64_t off = strtoull(p, &p, 10);
		if (repeating) {
			for (uint64_t o = repeat_from; o + last_n <= off; o += last_n)
				memcpy(d->b + (o - j), last, last_n);
			repeating = false;
		}
		last_n = 0;
		unsigned v;
		int used;
		while (sscanf(p, " %2x%n", &v, &used) == 1 && last_n < 16) {
			last[last_n++] = (unsigned char)v;
			p += used;
		}
		if (off >= j && off + last_n <= d->end)
			memcpy(d->b + (off - j), last, last_n);
		repeat_from = off + last_n;
	}
	return 0;
}

/* bytes that carry ndctl's random uuid: the uuid and the checksum of each block */
static bool varies_in(uint64_t off, uint64_t block)
{
	return (off >= block + 16 && off < block + 32) || (off >= block + 4088 && off < block + 4096);
}

static bool varies(uint64_t off, uint64_t info2)
{
	return varies_in(off, 4096) || (info2 && varies_in(off, info2));
}

/*
 * A whole block as Linux wrote it, uuid and checksum included, put on the
 * media where nd_pmem's probe reads: memhp must take it for a valid block
 * of the mode, with its uuid (nd_sb_checksum() and the layout checked
 * against Linux's own bytes).
 */
static void validate_linux_block(struct kernel *k, const struct od_dump *d, const char *mode)
{
	unsigned char saved[4096];
	enum nd_claim want = !strcmp(mode, "devdax") ? ND_CLAIM_DAX : !strcmp(mode, "fsdax") ? ND_CLAIM_PFN : ND_CLAIM_BTT;
	char want_uuid[37], uuid[37] = "";
	int n = 0;
	for (int i = 16; i < 32; i++)
		n += snprintf(want_uuid + n, sizeof(want_uuid) - (size_t)n, "%s%02x",
			      i == 20 || i == 22 || i == 24 || i == 26 ? "-" : "", d->b[i]);
	nd_media_read(k, 0, 4096, saved, sizeof(saved));
	nd_media_write(k, 0, 4096, d->b, 4096);
	enum nd_claim got = nd_media_info_kind(k, 0, uuid, NULL);
	nd_media_write(k, 0, 4096, saved, sizeof(saved));
	char name[160];
	snprintf(name, sizeof(name), "%s: Linux's block at %llu validates, uuid %s", mode,
		 (unsigned long long)d->start, want_uuid);
	check(got == want && !strcmp(uuid, want_uuid), name);
}

static void compare_dump(struct kernel *k, const struct od_dump *d, const char *mode, uint64_t info2)
{
	size_t n = (size_t)(d->end - d->start);
	unsigned char *got = malloc(n);
	int rc = nd_media_read(k, 0, d->start, got, n);
	uint64_t bad = 0;
	bool same = !rc;
	for (size_t i = 0; same && i < n; i++)
		if (got[i] != d->b[i] && !varies(d->start + i, info2)) {
			same = false;
			bad = d->start + i;
		}
	char name[160];
	snprintf(name, sizeof(name), "%s: bytes %llu..%llu as Linux wrote them", mode,
		 (unsigned long long)d->start, (unsigned long long)d->end - 1);
	check(same, name);
	if (!same)
		printf("#   first difference at %llu: got %02x, Linux %02x (rc %d)\n", (unsigned long long)bad,
		       got[bad - d->start], d->b[bad - d->start], rc);
	free(got);
}

/* the claim ndctl made before each group of dumps, with the align it chose (devdax -a 2M; fsdax from raw 4 KiB) */
static void reclaim(struct kernel *k, const char *mode)
{
	nd_namespace_release(k, 0, false);
	nd_media_zero_info(k, 0);
	if (strstr(mode, "devdax"))
		check(!nd_namespace_claim(k, 0, ND_CLAIM_DAX, UUID, 2ULL << 20), "devdax: the claim");
	else if (strstr(mode, "fsdax"))
		check(!nd_namespace_claim(k, 0, ND_CLAIM_PFN, UUID, 4096), "fsdax: the claim");
	else
		check(!nd_namespace_claim(k, 0, ND_CLAIM_BTT, UUID, 0), "sector: the claim");
}

static void test_against_linux(struct kernel *k)
{
	FILE *f = fopen("tests/unit/data/pmem-info-blocks.txt", "r");
	check(f != NULL, "the oracle's recording is there");
	if (!f)
		return;
	char line[512], next[512];
	const char *mode = "";
	int dumps = 0, blocks = 0;
	bool have = fgets(line, sizeof(line), f) != NULL;
	while (have) {
		if (!strncmp(line, "$ ndctl create-namespace", 24)) {
			mode = strstr(line, "devdax") ? "devdax" : strstr(line, "fsdax") ? "fsdax" : "sector";
			reclaim(k, mode);
		}
		if (!strncmp(line, "$ od ", 5)) {
			struct od_dump d;
			if (!parse_od(f, line, &d, next, sizeof(next))) {
				compare_dump(k, &d, mode, !strcmp(mode, "sector") ? NS_SIZE - 4096 : 0);
				if (d.end - d.start == 4096 && (d.start == 4096 || d.start == NS_SIZE - 4096)) {
					validate_linux_block(k, &d, mode);
					blocks++;
				}
				free(d.b);
				dumps++;
			}
			snprintf(line, sizeof(line), "%s", next);
			have = next[0] != '\0';
			continue;
		}
		have = fgets(line, sizeof(line), f) != NULL;
	}
	fclose(f);
	check(dumps == 18 && blocks == 4, "all eighteen dumps compared, four whole blocks validated");
}

static void test_validate_zero(struct kernel *k)
{
	char uuid[37];
	unsigned long align = 0;
	nd_namespace_release(k, 0, false);
	nd_media_zero_info(k, 0);
	check(nd_media_info_kind(k, 0, uuid, &align) == ND_CLAIM_NONE, "zeroed media: no info block");
	nd_namespace_claim(k, 0, ND_CLAIM_DAX, UUID, 2ULL << 20);
	check(nd_media_info_kind(k, 0, uuid, &align) == ND_CLAIM_DAX && !strcmp(uuid, UUID) && align == 2ULL << 20,
	      "nd_pfn_validate(): the dax block's uuid and align");
	nd_namespace_release(k, 0, false);
	media[4096 + 100] ^= 1;		/* in the padding: the checksum no longer matches */
	check(nd_media_info_kind(k, 0, NULL, NULL) == ND_CLAIM_NONE, "a bad checksum is no info block");
	media[4096 + 100] ^= 1;
	check(nd_media_info_kind(k, 0, NULL, NULL) == ND_CLAIM_DAX, "restored, it validates again");
	uint64_t off, len;
	check(nd_media_disk(k, 0, &off, &len) == -ENXIO, "no disk while nothing binds the namespace");
	check(nd_media_zero_info(k, 0) == 0, "zero_info_block(): the block zeroed");
	check(nd_media_zero_info(k, 0) == 1, "zero_info_block(): nothing left to zero");
	check(nd_namespace_claim(k, 0, ND_CLAIM_PFN, UUID, 0) == 0 && nd_media_disk(k, 0, &off, &len) == 0 &&
	      off == 10ULL << 20 && len == NS_SIZE - (10ULL << 20), "fsdax: pmem0 starts after the 10 MiB reservation");
	unsigned char b[4];
	check(nd_media_read(k, 0, NS_SIZE - 2, b, 4) == -EINVAL, "no read past the namespace");
}

int main(void)
{
	media = mmap(NULL, NS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (media == MAP_FAILED)
		return 1;
	struct kernel *k = pmem_kernel();
	test_against_linux(k);
	test_validate_zero(k);
	nd_namespace_release(k, 0, false);
	resource_free_tree(&k->iomem_resource);
	free(k->nd);
	free(k);
	munmap(media, NS_SIZE);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
