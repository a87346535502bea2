/*
 * fuzz_mask.c - affinity masks: xg_mask_parse() on strings, and
 * xg_mask_from_node() on cpu-to-node tables, both from the input, each
 * checked against a plain reference written from mask.h's contract.
 *
 * Contract: the first input byte chooses the function (even: parse, odd:
 * from_node), the next two the map size in bytes (0-639); every buffer is
 * allocated at exactly its stated size so that ASan sees any write past
 * it. Parse: the rest of the input is the string (up to its first NUL);
 * the result must equal the reference's, and a parsed mask must format
 * back to the same string (as far as the map reaches). From_node: two
 * bytes of cpu count (0-4999), one byte of node (255: XG_MASK_INVALID_NODE),
 * then one byte per cpu (its node modulo 9, 8 meaning offline).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "mask.h"

/* mask.h's rules, written plainly. */
static int ref_parse(const char *s, size_t map_bytes, unsigned int *set)
{
    size_t i;

    *set = 0;
    if ( !*s )
        return -EINVAL;
    for ( i = 0; s[i]; i++ )
    {
        if ( i >= XG_MASK_MAX_CPUS || (s[i] != '0' && s[i] != '1') )
            return -EINVAL;
        if ( s[i] == '1' && i >= map_bytes * 8 )
            return -ERANGE;
        *set += s[i] == '1';
    }
    return *set ? 0 : -EINVAL;
}

/*
 * A parsed mask: the bits are the '1's, the string formats back. Positions
 * beyond the map may only hold '0' (parse says -ERANGE otherwise), and the
 * bit helpers may only look below map_bytes * 8, the caller's bound.
 */
static void check_parsed(const char *s, const uint8_t *map, size_t map_bytes,
                         unsigned int nr, unsigned int set)
{
    unsigned int bits = nr < map_bytes * 8 ? nr : (unsigned int)map_bytes * 8;
    char *back = malloc(bits + 1);
    unsigned int i;

    FZ_CHECK(nr == strlen(s));
    for ( i = 0; i < map_bytes * 8; i++ )
        FZ_CHECK(xg_mask_test(map, i) == (i < nr && s[i] == '1'));
    for ( i = bits; i < nr; i++ )
        FZ_CHECK(s[i] == '0');
    FZ_CHECK(xg_mask_weight(map, bits) == set);
    FZ_CHECK(xg_mask_is_full(map, bits) == !memchr(s, '0', bits));
    if ( !back )
        return;
    FZ_CHECK(!xg_mask_format(map, bits, back, bits + 1));
    FZ_CHECK(!strncmp(back, s, bits) && !back[bits]);
    FZ_CHECK(xg_mask_format(map, bits, back, bits) == -ENOSPC && !back[0]);
    free(back);
}

static void fuzz_parse(struct fz_in *in, size_t map_bytes)
{
    uint8_t *map = malloc(map_bytes ? map_bytes : 1);
    char *s = fz_rest_string(in);
    struct meminit_error *err = calloc(1, sizeof(*err));
    bool with_key = s && strlen(s) % 2;
    struct xg_mask_report rep = { err, "mask", with_key ? "key" : NULL };
    unsigned int nr = ~0u, set;
    int rc, want;

    if ( map && s && err )
    {
        want = ref_parse(s, map_bytes, &set);
        rc = xg_mask_parse(s, map, map_bytes, &nr, &rep);
        FZ_CHECK(rc == want);
        if ( rc )
            FZ_CHECK(nr == ~0u && err->err == -rc && err->msg[0] &&
                     !strncmp(err->msg, "key: ", with_key ? 5 : 0) &&
                     memchr(err->msg, '\0', sizeof(err->msg)));
        else
            check_parsed(s, map, map_bytes, nr, set);
    }
    free(map);
    free(s);
    free(err);
}

static void fuzz_from_node(struct fz_in *in, size_t map_bytes)
{
    unsigned int nr = fz_u16(in) % 5000, i, want = 0;
    uint8_t node_byte = fz_u8(in);
    unsigned int node = node_byte == 255 ? XG_MASK_INVALID_NODE
                                         : node_byte % 9;
    uint32_t *cpu = malloc((nr ? nr : 1) * sizeof(*cpu));
    uint8_t *map = malloc(map_bytes ? map_bytes : 1);
    int rc;

    if ( !cpu || !map )
        goto out;
    for ( i = 0; i < nr; i++ )
    {
        uint8_t b = fz_u8(in) % 9;

        cpu[i] = b == 8 ? XG_MASK_INVALID_NODE : b;
        want += cpu[i] == node;
    }
    rc = xg_mask_from_node(cpu, nr, node, map, map_bytes);
    if ( node == XG_MASK_INVALID_NODE || nr > XG_MASK_MAX_CPUS ||
         XG_MASK_BYTES(nr) > map_bytes )
    {
        FZ_CHECK(rc == -EINVAL);
        goto out;
    }
    FZ_CHECK(rc == (want ? (int)want : -ENOENT));
    for ( i = 0; i < map_bytes * 8; i++ )
        FZ_CHECK(xg_mask_test(map, i) == (i < nr && cpu[i] == node));
 out:
    free(cpu);
    free(map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = { data, size };
    uint8_t op = fz_u8(&in);
    size_t map_bytes = fz_u16(&in) % 640;

    if ( op & 1 )
        fuzz_from_node(&in, map_bytes);
    else
        fuzz_parse(&in, map_bytes);
    return 0;
}
