/*
 * test_mask.c - affinity masks: '0'/'1' strings to xc_cpumap_t bitmaps and
 * back, node masks from the cpu topology, and the all-ones check.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmt.h"

#include "mask.h"

#define MAP_BYTES 8

struct parse_case {
    const char *name;
    const char *str;
    size_t map_bytes;
    int rc;
    const char *err;
    unsigned int nr;
    uint8_t map[MAP_BYTES];
};

static struct parse_case parses[] = {
    { "one pCPU", "1", MAP_BYTES, 0, NULL, 1, { 0x01 } },
    { "pCPU 0 and 9: bit i % 8 of byte i / 8", "1000000001", MAP_BYTES,
      0, NULL, 10, { 0x01, 0x02 } },
    { "pCPUs 1-3 of 4", "0111", MAP_BYTES, 0, NULL, 4, { 0x0e } },
    { "a full byte", "11111111", MAP_BYTES, 0, NULL, 8, { 0xff } },
    { "all 64 of the map", "11111111111111111111111111111111"
      "11111111111111111111111111111111", MAP_BYTES, 0, NULL, 64,
      { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
    { "zeros beyond the map are fine", "10000000000", 1, 0, NULL, 11,
      { 0x01 } },
    { "a one beyond the map", "000000001", 1, -ERANGE,
      "pCPU 8 is beyond the 8 the map holds", 0, { 0 } },
    { "a bad character names its position", "10x1", MAP_BYTES, -EINVAL,
      "bad character at position 2 (0x78): want '0' or '1'", 0, { 0 } },
    { "a blank is a bad character", "1 1", MAP_BYTES, -EINVAL,
      "bad character at position 1 (0x20): want '0' or '1'", 0, { 0 } },
    { "a newline is a bad character", "11\n", MAP_BYTES, -EINVAL,
      "bad character at position 2 (0x0a): want '0' or '1'", 0, { 0 } },
    { "a cpu list is not a mask", "0,1", MAP_BYTES, -EINVAL,
      "bad character at position 1 (0x2c): want '0' or '1'", 0, { 0 } },
    { "empty", "", MAP_BYTES, -EINVAL, "empty mask", 0, { 0 } },
    { "NULL", NULL, MAP_BYTES, -EINVAL, "empty mask", 0, { 0 } },
    { "all zero", "0000", MAP_BYTES, -EINVAL,
      "no pCPU set in the mask (4 positions)", 0, { 0 } },
};

static void test_parse(void **state)
{
    const struct parse_case *pc = *state;
    uint8_t map[MAP_BYTES + 1];
    unsigned int nr = 12345;
    struct meminit_error err = { 0 };
    const struct xg_mask_report rep = { &err, "test", NULL };

    memset(map, 0xa5, sizeof(map));
    assert_int_equal(xg_mask_parse(pc->str, map, pc->map_bytes, &nr, &rep),
                     pc->rc);
    if ( pc->err )
    {
        assert_string_equal(err.step, "test");
        assert_int_equal(err.err, -pc->rc);
        assert_string_equal(err.msg, pc->err);
    }
    /* Never a byte past map_bytes. */
    assert_int_equal(map[pc->map_bytes], 0xa5);
    if ( pc->rc )
    {
        assert_int_equal(nr, 12345);
        return;
    }
    assert_null(err.step);
    assert_int_equal(nr, pc->nr);
    assert_memory_equal(map, pc->map, pc->map_bytes);
}

/* The bound: 4096 pCPUs parse, 4097 do not. */
static void test_parse_bounds(void **state)
{
    static uint8_t map[XG_MASK_BYTES(XG_MASK_MAX_CPUS)];
    char *s = malloc(XG_MASK_MAX_CPUS + 2);
    unsigned int nr = 0;
    struct meminit_error err = { 0 };
    const struct xg_mask_report rep = { &err, "platform", "key" };

    (void)state;
    assert_non_null(s);
    memset(s, '0', XG_MASK_MAX_CPUS + 1);
    s[XG_MASK_MAX_CPUS - 1] = '1';
    s[XG_MASK_MAX_CPUS] = '\0';
    assert_int_equal(xg_mask_parse(s, map, sizeof(map), &nr, &rep), 0);
    assert_int_equal(nr, XG_MASK_MAX_CPUS);
    assert_true(xg_mask_test(map, XG_MASK_MAX_CPUS - 1));
    assert_int_equal(xg_mask_weight(map, XG_MASK_MAX_CPUS), 1);

    s[XG_MASK_MAX_CPUS] = '0';
    s[XG_MASK_MAX_CPUS + 1] = '\0';
    assert_int_equal(xg_mask_parse(s, map, sizeof(map), &nr, &rep),
                     -EINVAL);
    /* The report's step and key, straight into the caller's record. */
    assert_string_equal(err.step, "platform");
    assert_string_equal(err.msg, "key: mask longer than 4096 pCPUs");
    free(s);

    /* No report, or a report without a record, is fine. */
    assert_int_equal(xg_mask_parse("2", map, sizeof(map), &nr, NULL),
                     -EINVAL);
    assert_int_equal(xg_mask_parse("2", map, sizeof(map), &nr,
                                   &(struct xg_mask_report){ NULL, "x",
                                                             NULL }),
                     -EINVAL);
}

static void test_format_round_trip(void **state)
{
    static const char *const masks[] = {
        "1", "01", "1000000001", "0000000000000001", "1111111111111",
    };
    uint8_t map[MAP_BYTES];
    char buf[80];
    unsigned int nr, i;

    (void)state;
    for ( i = 0; i < sizeof(masks) / sizeof(masks[0]); i++ )
    {
        assert_int_equal(xg_mask_parse(masks[i], map, sizeof(map), &nr,
                                       NULL), 0);
        assert_int_equal(xg_mask_format(map, nr, buf, sizeof(buf)), 0);
        assert_string_equal(buf, masks[i]);
    }
}

static void test_format_no_room(void **state)
{
    uint8_t map[1] = { 0x05 };
    char buf[4] = "zzz";

    (void)state;
    assert_int_equal(xg_mask_format(map, 4, buf, 4), -ENOSPC);
    assert_string_equal(buf, "");
    assert_int_equal(xg_mask_format(map, 3, buf, 4), 0);
    assert_string_equal(buf, "101");
    assert_int_equal(xg_mask_format(map, 0, buf, 0), -ENOSPC);
}

/* Two nodes of three pCPUs, pCPU 4 offline (XEN_INVALID_NODE_ID). */
static const uint32_t topo[] = { 0, 0, 1, 1, XG_MASK_INVALID_NODE, 1, 0 };
#define NR_TOPO ((unsigned int)(sizeof(topo) / sizeof(topo[0])))

struct node_case {
    const char *name;
    unsigned int node;
    size_t map_bytes;
    int rc;
    const char *str;
};

static struct node_case nodes[] = {
    { "node 0", 0, 2, 3, "1100001" },
    { "node 1 skips the offline pCPU", 1, 2, 3, "0011010" },
    { "a node without pCPUs", 2, 2, -ENOENT, NULL },
    { "the invalid node id", XG_MASK_INVALID_NODE, 2, -EINVAL, NULL },
    { "a map too small", 0, 0, -EINVAL, NULL },
};

static void test_from_node(void **state)
{
    const struct node_case *nc = *state;
    uint8_t map[2];
    char buf[16];

    memset(map, 0xff, sizeof(map));
    assert_int_equal(xg_mask_from_node(topo, NR_TOPO, nc->node, map,
                                       nc->map_bytes), nc->rc);
    if ( nc->rc < 0 )
        return;
    assert_int_equal(xg_mask_format(map, NR_TOPO, buf, sizeof(buf)), 0);
    assert_string_equal(buf, nc->str);
    assert_int_equal(map[0] & 0x80, 0);
    assert_int_equal(map[1], 0);     /* cleared beyond nr_cpus */
    assert_int_equal(xg_mask_weight(map, NR_TOPO), (unsigned int)nc->rc);
}

/* All ones is what must never be written as a hard mask. */
static void test_is_full(void **state)
{
    uint8_t map[MAP_BYTES];
    const uint32_t one_node[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    unsigned int nr;

    (void)state;
    assert_int_equal(xg_mask_parse("111", map, sizeof(map), &nr, NULL),
                     0);
    assert_true(xg_mask_is_full(map, 3));
    assert_false(xg_mask_is_full(map, 4));
    assert_true(xg_mask_is_full(map, 0));
    assert_int_equal(xg_mask_parse("1110", map, sizeof(map), &nr, NULL),
                     0);
    assert_false(xg_mask_is_full(map, nr));
    assert_int_equal(xg_mask_parse("111111111", map, sizeof(map), &nr,
                                   NULL), 0);
    assert_true(xg_mask_is_full(map, 9));
    assert_false(xg_mask_is_full(map, 10));

    /* The only node of a host: its mask is everything. */
    assert_int_equal(xg_mask_from_node(one_node, 9, 0, map, sizeof(map)), 9);
    assert_true(xg_mask_is_full(map, 9));
    /* One node of two is not. */
    assert_int_equal(xg_mask_from_node(topo, NR_TOPO, 0, map, sizeof(map)),
                     3);
    assert_false(xg_mask_is_full(map, NR_TOPO));
}

static void test_set_test(void **state)
{
    uint8_t map[2] = { 0, 0 };

    (void)state;
    xg_mask_set(map, 0);
    xg_mask_set(map, 15);
    assert_int_equal(map[0], 0x01);
    assert_int_equal(map[1], 0x80);
    assert_true(xg_mask_test(map, 15));
    assert_false(xg_mask_test(map, 14));
    assert_int_equal(xg_mask_weight(map, 16), 2);
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_parse_bounds),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_format_no_room),
        cmocka_unit_test(test_is_full),
        cmocka_unit_test(test_set_test),
    };
    struct CMUnitTest tests[CMT_SIZE(parses) + CMT_SIZE(nodes) +
                            CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, parses, test_parse);
    CMT_CASES(next, nodes, test_from_node);
    CMT_TESTS(next, extra);
    return CMT_RUN("mask", tests, next);
}
