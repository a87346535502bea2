/*
 * fuzz_platform.c - xg_platform_read() over a fake xenstore filled from the
 * input, then the write-backs computed from what was read.
 *
 * Contract: the input is lines "key=value" (split at '\n', the first '='
 * ends the key; a line without '=' is a key with an empty value). Relative
 * keys live under /local/domain/5/, keys starting with '/' are absolute. A
 * first line "pv" reads the keys as for a PV guest, anything else as HVM.
 * At most MAX_KEYS keys. A failed read must return -EINVAL or -ENOENT with
 * a message and keep nothing; a successful one must leave every field in
 * its documented range, and its write-backs must fit and be written in
 * full. LeakSanitizer (on by default under libFuzzer) catches a value the
 * reader forgot to free.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "mask.h"
#include "platform.h"

#define MAX_KEYS    96
#define DOMID       5u
#define PREFIX      "/local/domain/5/"

struct store {
    unsigned int nr;
    char *key[MAX_KEYS];
    char *value[MAX_KEYS];
    unsigned int reads, writes;
};

static char *dup_range(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);

    if ( s )
    {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

static void add_line(struct store *st, const uint8_t *p, size_t n)
{
    const uint8_t *eq = memchr(p, '=', n);
    size_t klen = eq ? (size_t)(eq - p) : n;

    if ( st->nr == MAX_KEYS )
        return;
    st->key[st->nr] = dup_range(p, klen);
    st->value[st->nr] = eq ? dup_range(eq + 1, n - klen - 1)
                           : dup_range(p, 0);
    if ( st->key[st->nr] && st->value[st->nr] )
        st->nr++;
    else
    {
        free(st->key[st->nr]);
        free(st->value[st->nr]);
    }
}

static void load(struct store *st, const uint8_t *data, size_t size)
{
    size_t start = 0, i;

    for ( i = 0; i <= size; i++ )
    {
        if ( i < size && data[i] != '\n' )
            continue;
        if ( i > start )
            add_line(st, data + start, i - start);
        start = i + 1;
    }
}

static void unload(struct store *st)
{
    unsigned int i;

    for ( i = 0; i < st->nr; i++ )
    {
        free(st->key[i]);
        free(st->value[i]);
    }
}

static char *kv_read(void *opaque, const char *path)
{
    struct store *st = opaque;
    const char *rel = !strncmp(path, PREFIX, strlen(PREFIX))
                      ? path + strlen(PREFIX) : NULL;
    unsigned int i;

    st->reads++;
    for ( i = 0; i < st->nr; i++ )
        if ( !strcmp(st->key[i], path) || (rel && !strcmp(st->key[i], rel)) )
            return strdup(st->value[i]);
    return NULL;
}

static int kv_write(void *opaque, const char *path, const char *value)
{
    struct store *st = opaque;

    FZ_CHECK(!strncmp(path, PREFIX, strlen(PREFIX)));
    FZ_CHECK(strlen(value) < XG_KV_VALUE_MAX);
    st->writes++;
    return 0;
}

static void check_affinity(const struct xg_platform *p)
{
    uint8_t map[XG_MASK_BYTES(XG_MASK_MAX_CPUS)];
    unsigned int i, n = 0, nr;

    for ( i = 0; i < XG_MAX_VCPUS; i++ )
    {
        if ( !p->affinity[i] )
            continue;
        FZ_CHECK(i < p->vcpus);
        FZ_CHECK(!xg_mask_parse(p->affinity[i], map, sizeof(map), &nr,
                                NULL));
        n++;
    }
    FZ_CHECK(n == p->nr_affinity);
}

static void check_fields(const struct xg_platform *p, bool hvm)
{
    unsigned int i;

    FZ_CHECK(p->vcpus >= 1 && p->vcpus <= XG_MAX_VCPUS);
    FZ_CHECK(p->vcpus_current >= 1 && p->vcpus_current <= p->vcpus);
    FZ_CHECK(!p->has_weight || (p->weight >= 1 && p->weight <= 65535));
    FZ_CHECK(!p->has_cap || p->cap <= 100 * p->vcpus);
    FZ_CHECK(p->tsc_mode <= 3);
    FZ_CHECK(p->x87_fip_width == 0 || p->x87_fip_width == 4 ||
             p->x87_fip_width == 8);
    FZ_CHECK(p->bios <= XG_BIOS_OVMF);
    FZ_CHECK(p->nr_featureset <= XG_FEATURESET_MAX);
    FZ_CHECK(!p->cores_per_socket ||
             (hvm && p->vcpus % p->cores_per_socket == 0));
    FZ_CHECK(p->acpi_fixup <= (XG_FIXUP_ACPI | XG_FIXUP_ACPI_S3 |
                               XG_FIXUP_ACPI_S4));
    for ( i = 0; i < XG_VIRIDIAN_NR; i++ )
        FZ_CHECK(p->viridian_feature[i] == XG_ABSENT ||
                 p->viridian_feature[i] == 0 ||
                 p->viridian_feature[i] == 1);
    check_affinity(p);
}

static void check_writebacks(const struct xg_platform *p, struct store *st,
                             const struct xg_kv *kv)
{
    const struct xg_hvm_writeback hvm = {
        .mmio_hole_size = UINT64_MAX, .vram_reserved = true,
        .vram_addr = UINT64_MAX, .vram_size = UINT64_MAX,
    };
    struct xg_writebacks wb;
    unsigned int i;

    FZ_CHECK(!xg_platform_writebacks(p, DOMID, &hvm, &wb));
    FZ_CHECK(wb.nr >= 3 && wb.nr <= XG_WRITEBACK_MAX);
    for ( i = 3; i < wb.nr; i++ )
        FZ_CHECK(!strcmp(wb.wb[i].value, "0") ||
                 !strcmp(wb.wb[i].value, "1"));
    FZ_CHECK(!xg_platform_apply(kv, &wb, NULL));
    FZ_CHECK(st->writes == wb.nr);
    FZ_CHECK(!xg_platform_writebacks(p, DOMID, NULL, &wb) && !wb.nr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct store st = { 0 };
    struct xg_kv kv = { kv_read, kv_write, &st };
    struct xg_platform *p = malloc(sizeof(*p));
    bool hvm = !(size >= 3 && !memcmp(data, "pv\n", 3));
    struct meminit_error err = { 0 };
    unsigned int i;
    int rc;

    if ( !p )
        return 0;
    load(&st, data, size);
    rc = xg_platform_read(&kv, DOMID, hvm, p, &err);
    if ( rc )
    {
        FZ_CHECK(rc == -EINVAL || rc == -ENOENT);
        FZ_CHECK(err.err == -rc && err.step &&
                 !strcmp(err.step, "platform") && err.msg[0] &&
                 memchr(err.msg, '\0', sizeof(err.msg)));
        for ( i = 0; i < XG_MAX_VCPUS; i++ )
            FZ_CHECK(!p->affinity[i]);
    }
    else
    {
        check_fields(p, hvm);
        check_writebacks(p, &st, &kv);
        xg_platform_free(p);
    }
    FZ_CHECK(st.reads <= XG_MAX_VCPUS + 64);
    unload(&st);
    free(p);
    return 0;
}
