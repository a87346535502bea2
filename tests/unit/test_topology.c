/*
 * test_topology.c - fallback order and best fit (pure).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cmt.h"

#include "topology.h"

static void four_nodes(struct mi_topology *t)
{
    static const uint32_t d[4][4] = {
        { 10, 40, 20, 30 }, { 40, 10, 30, 20 },
        { 20, 30, 10, 20 }, { 30, 20, 20, 10 },
    };
    unsigned int i, j;

    memset(t, 0, sizeof(*t));
    t->nr_nodes = 4;
    for ( i = 0; i < 4; i++ )
    {
        t->size[i] = 1000;
        t->free[i] = 500;
        for ( j = 0; j < 4; j++ )
            t->dist[i][j] = d[i][j];
    }
}

struct order_case {
    const char *name;
    unsigned int pnode;
    uint64_t mask;              /* the domain's node affinity, 0: all */
    uint64_t free[4];
    uint64_t size[4];
    unsigned int nr;
    unsigned int want[4];
};

static struct order_case cases[] = {
    { "by distance, not by number", 0, 0, { 500, 500, 500, 500 },
      { 1000, 1000, 1000, 1000 }, 4, { 0, 2, 3, 1 } },
    { "preferred first even when full", 1, 0, { 500, 500, 500, 0 },
      { 1000, 1000, 1000, 1000 }, 4, { 1, 3, 2, 0 } },
    { "tie on distance: more free first", 2, 0, { 100, 500, 500, 900 },
      { 1000, 1000, 1000, 1000 }, 4, { 2, 3, 0, 1 } },
    { "memoryless nodes skipped", 0, 0, { 500, 500, 0, 500 },
      { 1000, 1000, 0, 1000 }, 3, { 0, 3, 1 } },
    /* Node affinity {0, 1}: node 1 (distance 40) before node 2 (20). */
    { "affinity mask exhausted before nearer nodes", 0, 0x3,
      { 500, 500, 500, 500 }, { 1000, 1000, 1000, 1000 }, 4, { 0, 1, 2, 3 } },
    { "affinity mask {1, 3} from node 3", 3, 0xa, { 500, 500, 500, 500 },
      { 1000, 1000, 1000, 1000 }, 4, { 3, 1, 2, 0 } },
};

static void test_order(void **state)
{
    const struct order_case *oc = *state;
    struct mi_topology t;
    unsigned int order[MEMINIT_MAX_NODES], nr, i;

    four_nodes(&t);
    memcpy(t.free, oc->free, sizeof(oc->free));
    memcpy(t.size, oc->size, sizeof(oc->size));
    topology_order(&t, oc->pnode, oc->mask, order, &nr);
    assert_int_equal(nr, oc->nr);
    for ( i = 0; i < nr; i++ )
        assert_int_equal(order[i], oc->want[i]);
}

static void test_best_fit(void **state)
{
    struct mi_topology t;
    bool fits;

    (void)state;
    four_nodes(&t);
    t.free[0] = 300;
    t.free[1] = 800;
    t.free[2] = 450;
    t.free[3] = 0;
    assert_int_equal(topology_best_fit(&t, 400, ~0ull, &fits), 2);
    assert_true(fits);
    assert_int_equal(topology_best_fit(&t, 900, ~0ull, &fits), 1);
    assert_false(fits);
    assert_int_equal(topology_best_fit(&t, 100, 1u << 1, &fits), 1);
    assert_true(fits);
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_best_fit),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, cases, test_order);
    CMT_TESTS(next, extra);
    return CMT_RUN("topology", tests, next);
}
