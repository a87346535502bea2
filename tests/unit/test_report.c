/*
 * test_report.c - the JSON report of real runs on the simulated host,
 * validated against docs/report.schema.json by python3-jsonschema.
 *
 * Each case builds (meminit_build) or plans (meminit_plan, also for a guest
 * not created yet: DOMID_INVALID) on a simulated host, writes the report
 * with the shipped xg_report_json(), reads it back with json-c and checks
 * what it says against the build's own statistics, then hands the file to
 * scripts/validate-report (Debian's jsonschema, not a checker of ours).
 * The validator must also refuse: a report whose schema_version is a
 * string, and one that mixes plan and build keys, fail. Strings are
 * escaped by json-c: a mode with a quote and a newline reads back intact.
 * Run from the top of the tree (make check does).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <json.h>

#include "cmt.h"
#include "fixture.h"
#include "report.h"

#define SCHEMA      "docs/report.schema.json"
#define VALIDATOR   "scripts/validate-report"

enum what { BUILD, PLAN, PLAN_NO_DOMAIN };

struct report_case {
    const char *name;
    enum what what;
    enum meminit_guest guest;
    unsigned int nodes;
    uint64_t node_gib;
    uint64_t mib;
    unsigned int pnode;             /* MEMINIT_NO_NODE: ours to choose */
    const char *mode;
    const char *protocol;           /* PV result */
    const char *reason;             /* expected pnode_reason */
    enum meminit_policy_mode policy;    /* default preferred */
    uint64_t set;                   /* its node set, 0: every node */
    const char *policy_nodes;       /* expected "policy_nodes", as "1,3" */
};

static const struct report_case cases[] = {
    { "hvm build on node 1", BUILD, MEMINIT_GUEST_HVM, 4, 4, 2048, 1,
      "hvm_build", NULL, "given", MEMINIT_POLICY_PREFERRED, 0, "0,1,2,3" },
    { "hvm build spilling to other nodes", BUILD, MEMINIT_GUEST_HVM, 4, 2,
      3072, 2, "hvm_build", NULL, "given", MEMINIT_POLICY_PREFERRED, 0, NULL },
    { "pv build, our own placement", BUILD, MEMINIT_GUEST_PV, 2, 4, 1024,
      MEMINIT_NO_NODE, "linux_build", "x86_64-abi", "best-fit", MEMINIT_POLICY_PREFERRED, 0, NULL },
    { "hvm build, interleave over 1,3", BUILD, MEMINIT_GUEST_HVM, 4, 4, 2048,
      MEMINIT_NO_NODE, "hvm_build", NULL, "interleave",
      MEMINIT_POLICY_INTERLEAVE, 0xa, "1,3" },
    { "hvm build, strict on 2-3", BUILD, MEMINIT_GUEST_HVM, 4, 2, 3072,
      MEMINIT_NO_NODE, "hvm_build", NULL, "most-free", MEMINIT_POLICY_STRICT,
      0xc, "2,3" },
    { "hvm build, off", BUILD, MEMINIT_GUEST_HVM, 4, 4, 1024,
      MEMINIT_NO_NODE, "hvm_build", NULL, "off", MEMINIT_POLICY_OFF, 0, "" },
    { "plan without a domain, interleave over 0-3", PLAN_NO_DOMAIN,
      MEMINIT_GUEST_HVM, 4, 4, 4096, MEMINIT_NO_NODE, "hvm_build", NULL,
      "interleave", MEMINIT_POLICY_INTERLEAVE, 0, "0,1,2,3" },
    { "plan for an existing domain", PLAN, MEMINIT_GUEST_HVM, 4, 4, 4096, 3,
      "hvm_build", NULL, "given", MEMINIT_POLICY_PREFERRED, 0, NULL },
    { "plan without a domain, spilling", PLAN_NO_DOMAIN, MEMINIT_GUEST_HVM,
      4, 2, 5120, 0, "hvm_build", NULL, "given", MEMINIT_POLICY_PREFERRED, 0, NULL },
    { "plan without a domain, our placement", PLAN_NO_DOMAIN,
      MEMINIT_GUEST_HVM, 4, 4, 4096, MEMINIT_NO_NODE, "pvh_build", NULL,
      "best-fit", MEMINIT_POLICY_PREFERRED, 0, NULL },
};

/* Run scripts/validate-report on path; its exit status. */
static int validate(const char *path)
{
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if ( pid == 0 )
    {
        execl(VALIDATOR, VALIDATOR, SCHEMA, path, (char *)NULL);
        _exit(127);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_not_equal(WEXITSTATUS(status), 127);
    return WEXITSTATUS(status);
}

/* Write the report of ctx to a temporary file; its name in path. */
static void write_report(const struct xg_report_ctx *ctx, char *path,
                         size_t len)
{
    FILE *f;
    int fd;

    snprintf(path, len, "/tmp/xg-report-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(xg_report_json(f, ctx), 0);
    assert_int_equal(fclose(f), 0);
}

static struct json_object *read_report(const char *path)
{
    struct json_object *o = json_object_from_file(path);

    assert_non_null(o);
    return o;
}

static int64_t get_int(struct json_object *o, const char *key)
{
    struct json_object *v;

    assert_true(json_object_object_get_ex(o, key, &v));
    assert_true(json_object_is_type(v, json_type_int));
    return json_object_get_int64(v);
}

static const char *get_str(struct json_object *o, const char *key)
{
    struct json_object *v;

    assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_string(v);
}

/* "policy", "policy_nodes" (as "1,3") and "imbalance_pages". */
static void check_policy(struct json_object *o, const struct report_case *c,
                         const struct meminit_stats *st)
{
    struct json_object *set, *v;
    char text[256] = "";
    size_t used = 0, i;

    assert_string_equal(get_str(o, "policy"), meminit_policy_name(c->policy));
    assert_true(json_object_object_get_ex(o, "policy_nodes", &set));
    for ( i = 0; i < json_object_array_length(set); i++ )
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%d",
                                 i ? "," : "", json_object_get_int(
                                     json_object_array_get_idx(set, i)));
    if ( c->policy_nodes )
        assert_string_equal(text, c->policy_nodes);
    assert_true(json_object_object_get_ex(o, "imbalance_pages", &v));
    if ( c->policy == MEMINIT_POLICY_INTERLEAVE && c->what == BUILD )
        assert_int_equal(json_object_get_int64(v),
                         meminit_policy_imbalance(st));
    else
        assert_null(v);
}

/* The head every report has, checked against what the run did. */
static void check_head(struct json_object *o, const struct report_case *c,
                       const struct meminit_stats *st)
{
    struct json_object *v;

    assert_int_equal(get_int(o, "schema_version"), XG_REPORT_SCHEMA_VERSION);
    assert_true(json_object_object_get_ex(o, "domid", &v));
    if ( c->what == PLAN_NO_DOMAIN )
        assert_null(v);
    else
        assert_int_equal(json_object_get_int64(v), FX_DOMID);
    assert_string_equal(get_str(o, "mode"), c->mode);
    assert_int_equal(get_int(o, "pnode"), (int)st->pnode);
    assert_string_equal(get_str(o, "pnode_reason"), c->reason);
    if ( c->pnode != MEMINIT_NO_NODE )
        assert_int_equal(st->pnode, c->pnode);
    check_policy(o, c, st);
}

/* Build keys: per node pages as the stats, claim back to 0. */
static void check_build(struct json_object *o, const struct meminit_stats *st)
{
    struct json_object *nodes, *n;
    uint64_t sum = 0;
    unsigned int i;

    assert_int_equal(get_int(o, "claim_left"), 0);
    assert_true(json_object_object_get_ex(o, "nodes", &nodes));
    assert_int_equal(json_object_array_length(nodes), st->nr_nodes);
    for ( i = 0; i < st->nr_nodes; i++ )
    {
        n = json_object_array_get_idx(nodes, i);
        assert_int_equal(get_int(n, "pages_1g"),
                         st->node[i].extents[MEMINIT_1G]);
        assert_int_equal(get_int(n, "pages_2m"),
                         st->node[i].extents[MEMINIT_2M]);
        assert_int_equal(get_int(n, "pages_4k"),
                         st->node[i].extents[MEMINIT_4K]);
        sum += meminit_node_pages(&st->node[i]);
    }
    assert_true(sum + meminit_node_pages(&st->anynode) > 0);
    assert_int_equal(get_int(o, "nr_fallbacks"), st->nr_fallbacks);
}

/* Plan keys: plan_pages as meminit_plan said, shares adding up to 100. */
static void check_plan(struct json_object *o, const uint64_t *pages,
                       unsigned int nr_nodes)
{
    struct json_object *arr, *shares;
    double total = 0;
    size_t i;

    assert_true(json_object_object_get_ex(o, "plan_pages", &arr));
    assert_int_equal(json_object_array_length(arr), nr_nodes);
    for ( i = 0; i < nr_nodes; i++ )
        assert_int_equal(json_object_get_int64(
            json_object_array_get_idx(arr, i)), pages[i]);
    assert_true(json_object_object_get_ex(o, "plan_nodes", &shares));
    assert_true(json_object_array_length(shares) > 0);
    for ( i = 0; i < json_object_array_length(shares); i++ )
        total += json_object_get_double(json_object_object_get(
            json_object_array_get_idx(shares, i), "share"));
    assert_true(total > 99.9 && total < 100.1);
}

struct run {
    struct fx f;
    uint64_t pages[MEMINIT_MAX_NODES];
    struct xg_report_ctx ctx;
};

static void run_case(const struct report_case *c, struct run *r)
{
    struct fx *f = &r->f;

    fx_host(f, c->nodes, c->node_gib, SIM_CLAIM_UPSTREAM);
    fx_domain(f, c->guest, c->mib);
    f->req.policy = (struct meminit_policy){ c->policy, c->set, c->pnode };
    if ( c->what == PLAN_NO_DOMAIN )
    {
        assert_int_equal(sim_domain_destroy(f->host, FX_DOMID), 0);
        f->req.domid = DOMID_INVALID;
    }
    if ( c->what == BUILD )
        assert_int_equal(fx_build(f), 0);
    else
        assert_int_equal(meminit_plan(&f->req, &f->st, r->pages, &f->err), 0);
    r->ctx = (struct xg_report_ctx){
        .domid = f->req.domid, .mode = c->mode, .st = &f->st,
        .plan = c->what == BUILD ? NULL : r->pages,
        .has_result = c->what == BUILD, .store_frame = 0xfeffc,
        .console_frame = 0xfeffb, .protocol = c->protocol,
    };
}

static void test_case(void **state)
{
    const struct report_case *c = *state;
    struct run *r = calloc(1, sizeof(*r));
    struct json_object *o;
    char path[64];

    assert_non_null(r);
    run_case(c, r);
    write_report(&r->ctx, path, sizeof(path));
    o = read_report(path);
    check_head(o, c, &r->f.st);
    if ( c->what == BUILD )
        check_build(o, &r->f.st);
    else
        check_plan(o, r->pages, r->f.st.nr_nodes);
    json_object_put(o);
    assert_int_equal(validate(path), 0);
    unlink(path);
    fx_done(&r->f);
    free(r);
}

/* Rewrite the report at path through fn, then validate it. */
static int validate_edited(const char *path,
                           void (*fn)(struct json_object *o))
{
    struct json_object *o = read_report(path);
    int rc;

    fn(o);
    assert_int_equal(json_object_to_file_ext(path, o, JSON_C_TO_STRING_PLAIN),
                     0);
    json_object_put(o);
    rc = validate(path);
    unlink(path);
    return rc;
}

static void version_as_string(struct json_object *o)
{
    json_object_object_add(o, "schema_version", json_object_new_string("1"));
}

static void plan_keys_in_build(struct json_object *o)
{
    json_object_object_add(o, "plan_pages", json_object_new_array());
}

/* The validator is not vacuous: malformed reports fail. */
static void test_validator_refuses(void **state)
{
    const struct report_case *c = &cases[0];
    struct run *r = calloc(1, sizeof(*r));
    char path[64];

    (void)state;
    assert_non_null(r);
    run_case(c, r);
    write_report(&r->ctx, path, sizeof(path));
    assert_int_equal(validate_edited(path, version_as_string), 1);
    write_report(&r->ctx, path, sizeof(path));
    assert_int_equal(validate_edited(path, plan_keys_in_build), 1);
    fx_done(&r->f);
    free(r);
}

/*
 * A 32-bit PV guest goes to libxenguest's own meminit (meminit/hook.c
 * hook_stock()): no node is placed and no node statistics exist. Its
 * report, as the hook leaves the statistics, is valid: reason "stock",
 * pnode null, nodes empty, the host claim the hook made.
 */
static void test_stock_hook(void **state)
{
    struct run *r = calloc(1, sizeof(*r));
    struct meminit_stats *st;
    struct json_object *o;
    char path[64];

    (void)state;
    assert_non_null(r);
    run_case(&cases[0], r);
    st = &r->f.st;
    memset(st, 0, sizeof(*st));
    st->pnode = MEMINIT_NO_NODE;
    st->pnode_reason = MEMINIT_PNODE_STOCK;
    st->claim_kind = MEMINIT_CLAIMED_HOST;
    st->claim_pages = 262144;
    r->ctx.mode = "linux_build";
    r->ctx.protocol = "x86_32-abi";
    write_report(&r->ctx, path, sizeof(path));
    o = read_report(path);
    assert_string_equal(get_str(o, "pnode_reason"), "stock");
    json_object_put(o);
    assert_int_equal(validate(path), 0);
    unlink(path);
    fx_done(&r->f);
    free(r);
}

/*
 * Every populate-threads reason meminit can give is a name the schema
 * takes: each written into the report in turn and validated.
 */
static void test_threads_reasons(void **state)
{
    struct run *r = calloc(1, sizeof(*r));
    struct json_object *o, *p, *why;
    unsigned int reason;
    char path[64];

    (void)state;
    assert_non_null(r);
    run_case(&cases[0], r);
    for ( reason = MEMINIT_THREADS_PARALLEL;
          reason <= MEMINIT_THREADS_ONE_CPU; reason++ )
    {
        r->f.st.threads_reason = (enum meminit_threads_reason)reason;
        write_report(&r->ctx, path, sizeof(path));
        o = read_report(path);
        assert_true(json_object_object_get_ex(o, "populate", &p));
        assert_true(json_object_object_get_ex(p, "reason", &why));
        assert_string_equal(json_object_get_string(why),
                            meminit_threads_reason_name(reason));
        assert_string_not_equal(json_object_get_string(why), "?");
        json_object_put(o);
        assert_int_equal(validate(path), 0);
        unlink(path);
    }
    fx_done(&r->f);
    free(r);
}

/* Strings go through json-c: a quote and a newline read back intact. */
static void test_escaping(void **state)
{
    static const char mode[] = "hvm\"build\n\\x";
    struct run *r = calloc(1, sizeof(*r));
    struct json_object *o;
    char path[64];

    (void)state;
    assert_non_null(r);
    run_case(&cases[0], r);
    r->ctx.mode = mode;
    write_report(&r->ctx, path, sizeof(path));
    o = read_report(path);
    assert_string_equal(get_str(o, "mode"), mode);
    json_object_put(o);
    assert_int_equal(validate(path), 1);        /* not a mode we have */
    unlink(path);
    fx_done(&r->f);
    free(r);
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_stock_hook),
        cmocka_unit_test(test_threads_reasons),
        cmocka_unit_test(test_validator_refuses),
        cmocka_unit_test(test_escaping),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, cases, test_case);
    CMT_TESTS(next, extra);
    return CMT_RUN("report", tests, next);
}
