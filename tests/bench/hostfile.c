/*
 * hostfile.c - the simulated host: a topology file, or --nodes/--node-gib.
 *
 * Contract: hostfile_load() and hostfile_uniform() fill a struct bench_topo
 * or return -EINVAL (bad or unreadable input: a usage error) or -ENOMEM,
 * with "FILE:LINE: reason" recorded in err. Pure text processing:
 * no simulator calls, so the file format is checked the same way whichever
 * binary reads it. The format (docs/benchmarks.md has the full text):
 *
 *     name 8-node                  label for the output
 *     nodes 8                      first: how many nodes (1..64)
 *     memory 160G                  every node's memory (G or M; bare = GiB)
 *     node 3 memory 96G            one node's memory (0 = memoryless)
 *     node 3 used 10G              memory other domains hold on the node
 *     node 3 free-1g 2             at most 2 free 1 GiB blocks on it
 *     node 3 free-2m 64            at most 64 free 2 MiB blocks outside them
 *     distance 3 20 20 10 20 ...   row 3 of the distance matrix (1..255)
 *     claim upstream|node|set      claim calls the simulated Xen offers
 *
 * A node's free memory (memory - used) is split into as many 1 GiB blocks
 * as allowed, then 2 MiB blocks, then 4 KiB pages. `#` starts a comment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MAX_TOKENS      (BENCH_MAX_NODES + 4)
#define LINE_LEN        2048
#define MAX_NODE_PAGES  (1ull << 34)    /* 64 TiB */

struct host_node {
    uint64_t pages;
    uint64_t used;
    uint64_t max_1g;
    uint64_t max_2m;
};

/* What the file said, before the free memory is split into blocks. */
struct host_desc {
    const char *path;
    unsigned int line;
    bool have_nodes;
    bool have_dist;
    struct host_node node[BENCH_MAX_NODES];
    struct bench_topo *t;
    struct meminit_error *err;
};

static int desc_fail(struct host_desc *d, const char *what, const char *tok)
{
    return meminit_error_set(d->err, "host", EINVAL, "%s:%u: %s%s%s%s",
                             d->path, d->line, what, tok ? " '" : "",
                             tok ? tok : "", tok ? "'" : "");
}

/* A size: digits with an optional G (default) or M suffix, in pages. */
static int parse_size(const char *s, uint64_t *pages)
{
    char num[32];
    size_t n = strlen(s);
    uint64_t v, shift = 18;

    if ( n == 0 || n >= sizeof(num) )
        return -EINVAL;
    memcpy(num, s, n + 1);
    if ( num[n - 1] == 'G' || num[n - 1] == 'M' )
    {
        shift = num[n - 1] == 'G' ? 18 : 8;
        num[--n] = '\0';
    }
    if ( parse_u64(num, 0, MAX_NODE_PAGES >> shift, &v) )
        return -ERANGE;
    *pages = v << shift;
    return 0;
}

static unsigned int tokenize(char *line, char **tok)
{
    unsigned int n = 0;
    char *save = NULL, *p;

    p = strchr(line, '#');
    if ( p )
        *p = '\0';
    for ( p = strtok_r(line, " \t\r\n", &save); p && n < MAX_TOKENS;
          p = strtok_r(NULL, " \t\r\n", &save) )
        tok[n++] = p;
    return p ? MAX_TOKENS + 1 : n;
}

static int desc_nodes(struct host_desc *d, char **tok, unsigned int n)
{
    uint64_t v;
    unsigned int i;

    if ( d->have_nodes )
        return desc_fail(d, "'nodes' given twice", NULL);
    if ( n != 2 || parse_u64(tok[1], 1, BENCH_MAX_NODES, &v) )
        return desc_fail(d, "want 'nodes N' with N from 1 to 64", NULL);
    d->have_nodes = true;
    d->t->nr_nodes = (unsigned int)v;
    for ( i = 0; i < BENCH_MAX_NODES; i++ )
        d->node[i] = (struct host_node){ 0, 0, UINT64_MAX, UINT64_MAX };
    return 0;
}

static int desc_memory(struct host_desc *d, char **tok, unsigned int n)
{
    uint64_t pages;
    unsigned int i;

    if ( n != 2 || parse_size(tok[1], &pages) || !pages )
        return desc_fail(d, "want 'memory SIZE' (e.g. 160G, 512M), not zero",
                         NULL);
    for ( i = 0; i < d->t->nr_nodes; i++ )
        d->node[i].pages = pages;
    return 0;
}

static int desc_node_field(struct host_desc *d, struct host_node *hn,
                           const char *key, const char *val)
{
    uint64_t v;

    if ( !strcmp(key, "memory") || !strcmp(key, "used") )
    {
        if ( parse_size(val, &v) )
            return desc_fail(d, "bad size", val);
        *(!strcmp(key, "memory") ? &hn->pages : &hn->used) = v;
        return 0;
    }
    if ( !strcmp(key, "free-1g") || !strcmp(key, "free-2m") )
    {
        if ( parse_u64(val, 0, MAX_NODE_PAGES, &v) )
            return desc_fail(d, "bad block count", val);
        *(!strcmp(key, "free-1g") ? &hn->max_1g : &hn->max_2m) = v;
        return 0;
    }
    return desc_fail(d, "unknown node field", key);
}

static int desc_node(struct host_desc *d, char **tok, unsigned int n)
{
    uint64_t id;

    if ( n != 4 )
        return desc_fail(d, "want 'node I memory|used|free-1g|free-2m VALUE'",
                         NULL);
    if ( parse_u64(tok[1], 0, d->t->nr_nodes - 1, &id) )
        return desc_fail(d, "no such node", tok[1]);
    return desc_node_field(d, &d->node[id], tok[2], tok[3]);
}

static int desc_distance(struct host_desc *d, char **tok, unsigned int n)
{
    uint64_t row, v;
    unsigned int j, nr = d->t->nr_nodes;

    if ( n != nr + 2 || parse_u64(tok[1], 0, nr - 1, &row) )
        return desc_fail(d, "want 'distance I' and one number per node",
                         NULL);
    for ( j = 0; j < nr; j++ )
    {
        if ( parse_u64(tok[j + 2], 1, 255, &v) )
            return desc_fail(d, "distance must be 1..255, not", tok[j + 2]);
        d->t->distance[row][j] = (uint32_t)v;
    }
    d->have_dist = true;
    return 0;
}

static int desc_claim(struct host_desc *d, char **tok, unsigned int n)
{
    static const char *const names[] = { "upstream", "node", "set" };
    unsigned int i;

    for ( i = 0; n == 2 && i < 3; i++ )
    {
        if ( !strcmp(tok[1], names[i]) )
        {
            d->t->claim_abi = (enum bench_claim_abi)i;
            return 0;
        }
    }
    return desc_fail(d, "want 'claim upstream|node|set'", NULL);
}

static int desc_line(struct host_desc *d, char **tok, unsigned int n)
{
    if ( n > MAX_TOKENS )
        return desc_fail(d, "too many fields", NULL);
    if ( !strcmp(tok[0], "name") )
    {
        if ( n != 2 || strlen(tok[1]) >= sizeof(d->t->name) )
            return desc_fail(d, "want 'name WORD' (up to 63 characters)",
                             NULL);
        strcpy(d->t->name, tok[1]);
        return 0;
    }
    if ( !strcmp(tok[0], "nodes") )
        return desc_nodes(d, tok, n);
    if ( !d->have_nodes )
        return desc_fail(d, "'nodes N' must come first, before", tok[0]);
    if ( !strcmp(tok[0], "memory") )
        return desc_memory(d, tok, n);
    if ( !strcmp(tok[0], "node") )
        return desc_node(d, tok, n);
    if ( !strcmp(tok[0], "distance") )
        return desc_distance(d, tok, n);
    if ( !strcmp(tok[0], "claim") )
        return desc_claim(d, tok, n);
    return desc_fail(d, "unknown keyword", tok[0]);
}

static void default_distances(struct bench_topo *t)
{
    unsigned int i, j;

    for ( i = 0; i < t->nr_nodes; i++ )
        for ( j = 0; j < t->nr_nodes; j++ )
            t->distance[i][j] = i == j ? 10 : 20;
}

/* Free memory into blocks: as many 1 GiB as allowed, then 2 MiB. */
static void split_free(struct bench_topo *t, unsigned int i,
                       const struct host_node *hn)
{
    uint64_t rest = hn->pages - hn->used;

    t->pages[i] = hn->pages;
    t->free[i] = rest;
    t->free_1g[i] = rest / BENCH_PAGES_1G;
    if ( hn->max_1g < t->free_1g[i] )
        t->free_1g[i] = hn->max_1g;
    rest -= t->free_1g[i] * BENCH_PAGES_1G;
    t->free_2m[i] = rest / BENCH_PAGES_2M;
    if ( hn->max_2m < t->free_2m[i] )
        t->free_2m[i] = hn->max_2m;
}

static int desc_finish(struct host_desc *d)
{
    struct bench_topo *t = d->t;
    unsigned int i;

    if ( !d->have_nodes )
        return desc_fail(d, "no 'nodes N' line", NULL);
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        if ( d->node[i].used > d->node[i].pages )
            return meminit_error_set(d->err, "host", EINVAL, "%s: node %u "
                                     "uses more memory than it has",
                                     d->path, i);
        split_free(t, i, &d->node[i]);
    }
    if ( !d->have_dist )
        default_distances(t);
    t->blocks_known = true;
    return 0;
}

static int desc_read(struct host_desc *d, FILE *f)
{
    char line[LINE_LEN], *tok[MAX_TOKENS + 1];
    unsigned int n;
    int rc;

    while ( fgets(line, sizeof(line), f) )
    {
        d->line++;
        if ( !strchr(line, '\n') && !feof(f) )
            return desc_fail(d, "line too long", NULL);
        n = tokenize(line, tok);
        if ( n == 0 )
            continue;
        rc = desc_line(d, tok, n);
        if ( rc )
            return rc;
    }
    if ( ferror(f) )
        return desc_fail(d, "read error", NULL);
    return 0;
}

static FILE *open_or_fail(const char *path, struct meminit_error *err)
{
    FILE *f = fopen(path, "r");

    if ( !f )
        meminit_error_set(err, "host", EINVAL, "%s: %s", path,
                          strerror(errno));
    return f;
}

int hostfile_load(const char *path, struct bench_topo *t,
                  struct meminit_error *err)
{
    struct host_desc *d = calloc(1, sizeof(*d));
    const char *base = strrchr(path, '/');
    FILE *f;
    int rc = -ENOMEM;

    memset(t, 0, sizeof(*t));
    if ( !d )
        return meminit_error_set(err, "host", ENOMEM, "out of memory");
    *d = (struct host_desc){ .path = path, .t = t, .err = err };
    snprintf(t->name, sizeof(t->name), "%.*s", (int)strcspn(base ? base + 1
             : path, "."), base ? base + 1 : path);
    f = open_or_fail(path, err);
    rc = f ? desc_read(d, f) : -EINVAL;
    if ( f )
        fclose(f);
    if ( !rc )
        rc = desc_finish(d);
    free(d);
    return rc;
}

/* --dist-file: one row per line, one number per node. */
static int dist_read(struct host_desc *d, FILE *f)
{
    char line[LINE_LEN], *tok[MAX_TOKENS + 1];
    unsigned int n, row = 0, j, nr = d->t->nr_nodes;
    uint64_t v;

    while ( fgets(line, sizeof(line), f) )
    {
        d->line++;
        n = tokenize(line, tok);
        if ( n == 0 )
            continue;
        if ( row >= nr || n != nr )
            return desc_fail(d, "want one row of N numbers per node", NULL);
        for ( j = 0; j < nr; j++ )
        {
            if ( parse_u64(tok[j], 1, 255, &v) )
                return desc_fail(d, "distance must be 1..255, not", tok[j]);
            d->t->distance[row][j] = (uint32_t)v;
        }
        row++;
    }
    if ( row != nr )
        return desc_fail(d, "fewer rows than nodes", NULL);
    return 0;
}

int hostfile_uniform(unsigned int nodes, uint64_t node_gib,
                     const char *dist_file, struct bench_topo *t,
                     struct meminit_error *err)
{
    struct host_desc d = { .path = dist_file, .t = t, .err = err };
    struct host_node hn = { node_gib * BENCH_PAGES_1G, 0, UINT64_MAX,
                            UINT64_MAX };
    unsigned int i;
    FILE *f;
    int rc = 0;

    memset(t, 0, sizeof(*t));
    t->nr_nodes = nodes;
    snprintf(t->name, sizeof(t->name), "%ux%lluG", nodes,
             (unsigned long long)node_gib);
    for ( i = 0; i < nodes; i++ )
        split_free(t, i, &hn);
    default_distances(t);
    t->blocks_known = true;
    if ( !dist_file )
        return 0;
    f = open_or_fail(dist_file, err);
    if ( !f )
        return -EINVAL;
    rc = dist_read(&d, f);
    fclose(f);
    return rc;
}

const char *bench_claim_abi_name(enum bench_claim_abi abi)
{
    switch ( abi )
    {
    case BENCH_ABI_UPSTREAM:    return "upstream";
    case BENCH_ABI_NODE:        return "node";
    case BENCH_ABI_SET:         return "set";
    }
    return "?";
}
