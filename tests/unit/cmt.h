/*
 * cmt.h - registering cmocka tests: table-driven cases and fixed tests in
 * one group, run with cmocka's public cmocka_run_group_tests_name().
 *
 * Contract:
 *  - A test binary declares one array of exactly as many slots as it has
 *    tests, sized at compile time from its tables (CMT_SIZE), fills it with
 *    CMT_CASES (one test per table row: the row's `name` member names it,
 *    the row is its initial state) and CMT_TESTS (an array of fixed
 *    tests), then returns CMT_RUN(group, tests, next).
 *  - CMT_RUN runs the group only when every slot was filled; otherwise it
 *    prints which group is short and fails (a slot left empty would be a
 *    test silently not run).
 *  - Only cmocka's public API is used: cmocka_run_group_tests_name() takes
 *    the array itself and counts it with sizeof, which is why the array's
 *    size is a compile-time constant and not a count passed along.
 *  - Header-only: each test binary includes it once, after <cmocka.h>.
 */
#ifndef TEST_CMT_H
#define TEST_CMT_H

#include <stdint.h>
#include <stdio.h>

#define CMT_SIZE(a)     (sizeof(a) / sizeof((a)[0]))

/* One test per row of table, each running fn with the row as *state. */
#define CMT_CASES(next, table, fn)                                          \
    do {                                                                    \
        size_t cmt_i_;                                                      \
                                                                            \
        for ( cmt_i_ = 0; cmt_i_ < CMT_SIZE(table); cmt_i_++ )              \
            *(next)++ = (struct CMUnitTest){                                \
                .name = (table)[cmt_i_].name, .test_func = (fn),            \
                .initial_state = (void *)(uintptr_t)&(table)[cmt_i_],       \
            };                                                              \
    } while ( 0 )

/* Every test of an array of struct CMUnitTest, in order. */
#define CMT_TESTS(next, fixed)                                              \
    do {                                                                    \
        size_t cmt_i_;                                                      \
                                                                            \
        for ( cmt_i_ = 0; cmt_i_ < CMT_SIZE(fixed); cmt_i_++ )              \
            *(next)++ = (fixed)[cmt_i_];                                    \
    } while ( 0 )

static inline int cmt_short(const char *group, size_t filled, size_t size)
{
    fprintf(stderr, "cmt: group %s: %zu of %zu tests registered\n", group,
            filled, size);
    return 1;
}

/* Run the group if next is one past its last slot. */
#define CMT_RUN(group, tests, next)                                         \
    ((size_t)((next) - (tests)) == CMT_SIZE(tests)                          \
     ? cmocka_run_group_tests_name(group, tests, NULL, NULL)               \
     : cmt_short(group, (size_t)((next) - (tests)), CMT_SIZE(tests)))

#endif /* TEST_CMT_H */
