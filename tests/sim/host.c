/*
 * host.c - the simulated host's lifetime, its shared mapping and its lock.
 *
 * The whole host is one struct sim_state in one MAP_SHARED mapping: an
 * anonymous one when the config names no file (shared with fork()ed
 * children), else a file that other processes attach by path. Creation
 * writes the magic last, so an attacher never sees half-built state.
 *
 * The lock is a process-shared robust mutex: a process killed while holding
 * it (a crashed builder in a boot storm) does not wedge the others; the next
 * locker marks it consistent and carries on with whatever the dead process
 * had written, which is what a hypervisor would also have kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_internal.h"

static size_t sim_state_len(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    size_t page = pg > 0 ? (size_t)pg : 4096;

    return (sizeof(struct sim_state) + page - 1) / page * page;
}

static int sim_mutex_init(pthread_mutex_t *m)
{
    pthread_mutexattr_t attr;
    int rc;

    rc = pthread_mutexattr_init(&attr);
    if ( rc )
        return -rc;
    rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if ( !rc )
        rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    if ( !rc )
        rc = pthread_mutex_init(m, &attr);
    pthread_mutexattr_destroy(&attr);
    return -rc;
}

int sim_lock(struct sim_host *host)
{
    int rc = pthread_mutex_lock(&host->st->lock);

    /* The previous owner died holding it: its writes stand, as in Xen. */
    if ( rc == EOWNERDEAD )
        rc = pthread_mutex_consistent(&host->st->lock);
    return -rc;
}

void sim_unlock(struct sim_host *host)
{
    pthread_mutex_unlock(&host->st->lock);
}

/* Map `len` bytes of fd (or anonymous memory when fd < 0), shared. */
static int sim_map(int fd, size_t len, struct sim_state **out)
{
    int flags = MAP_SHARED | (fd < 0 ? MAP_ANONYMOUS : 0);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);

    if ( p == MAP_FAILED )
        return -errno;
    *out = p;
    return 0;
}

static int sim_host_new(struct sim_state *st, size_t len,
                        struct sim_host **out)
{
    struct sim_host *host = calloc(1, sizeof(*host));

    if ( !host )
        return -ENOMEM;
    host->xch.magic = SIM_XCH_MAGIC;
    host->xch.host = host;
    host->st = st;
    host->map_len = len;
    *out = host;
    return 0;
}

/* Open (create or truncate) the state file and size it. */
static int sim_file_create(const char *path, size_t len, int *fd_out)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc;

    if ( fd < 0 )
        return -errno;
    if ( ftruncate(fd, (off_t)len) )
    {
        rc = -errno;
        close(fd);
        return rc;
    }
    *fd_out = fd;
    return 0;
}

static int sim_state_init(struct sim_state *st, size_t len,
                          const struct sim_config *cfg)
{
    int rc;

    memset(st, 0, sizeof(*st));
    rc = sim_mutex_init(&st->lock);
    if ( rc )
        return rc;
    st->version = SIM_STATE_VERSION;
    st->size = len;
    sim_config_apply(st, cfg);
    /* Publish: attachers check the magic before anything else. */
    __atomic_store_n(&st->magic, SIM_STATE_MAGIC, __ATOMIC_RELEASE);
    return 0;
}

int sim_host_create(const struct sim_config *cfg, struct sim_host **out)
{
    size_t len = sim_state_len();
    struct sim_state *st = NULL;
    int fd = -1;
    int rc;

    if ( !cfg || !out )
        return -EINVAL;
    rc = sim_config_check(cfg);
    if ( rc )
        return rc;
    if ( cfg->path )
    {
        rc = sim_file_create(cfg->path, len, &fd);
        if ( rc )
            return rc;
    }
    rc = sim_map(fd, len, &st);
    if ( fd >= 0 )
        close(fd);
    if ( rc )
        return rc;
    rc = sim_state_init(st, len, cfg);
    if ( rc )
        goto unmap;
    rc = sim_host_new(st, len, out);
    if ( rc )
        goto unmap;
    return 0;

 unmap:
    munmap(st, len);
    return rc;
}

static int sim_state_check(const struct sim_state *st, size_t len)
{
    if ( __atomic_load_n(&st->magic, __ATOMIC_ACQUIRE) != SIM_STATE_MAGIC )
        return -EINVAL;
    if ( st->version != SIM_STATE_VERSION || st->size != len )
        return -EINVAL;
    return 0;
}

/* Map an existing state file; the fd is not needed once mapped. */
static int sim_file_map(const char *path, size_t len, struct sim_state **out)
{
    struct stat sb;
    int fd, rc;

    fd = open(path, O_RDWR | O_CLOEXEC);
    if ( fd < 0 )
        return -errno;
    if ( fstat(fd, &sb) )
        rc = -errno;
    else if ( (uint64_t)sb.st_size < len )
        rc = -EINVAL;
    else
        rc = sim_map(fd, len, out);
    close(fd);
    return rc;
}

int sim_host_attach(const char *path, struct sim_host **out)
{
    size_t len = sim_state_len();
    struct sim_state *st = NULL;
    int rc;

    if ( !path || !out )
        return -EINVAL;
    rc = sim_file_map(path, len, &st);
    if ( rc )
        return rc;
    rc = sim_state_check(st, len);
    if ( rc )
        goto unmap;
    rc = sim_host_new(st, len, out);
    if ( rc )
        goto unmap;
    return 0;

 unmap:
    munmap(st, len);
    return rc;
}

void sim_host_close(struct sim_host *host)
{
    if ( !host )
        return;
    munmap(host->st, host->map_len);
    host->xch.magic = 0;
    free(host);
}

xc_interface *sim_xch(struct sim_host *host)
{
    return host ? &host->xch : NULL;
}

struct sim_host *sim_from_xch(xc_interface *xch)
{
    if ( !xch || xch->magic != SIM_XCH_MAGIC )
        return NULL;
    return xch->host;
}

static void sim_host_fill(const struct sim_state *st,
                          struct sim_host_info *out)
{
    unsigned int i;

    out->nr_nodes = st->nr_nodes;
    out->total_pages = st->total_pages;
    out->free_pages = st->free_pages;
    out->outstanding = st->outstanding;
    for ( i = 0; i < st->nr_nodes; i++ )
    {
        out->node_free[i] = sim_node_free(&st->node[i]);
        out->node_free_1g[i] = st->node[i].free_1g;
        out->node_free_2m[i] = st->node[i].free_2m;
    }
    memcpy(out->calls, st->calls, sizeof(out->calls));
    memcpy(out->calls_failed, st->calls_failed, sizeof(out->calls_failed));
}

int sim_host_info(struct sim_host *host, struct sim_host_info *out)
{
    int rc;

    if ( !host || !out )
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    rc = sim_lock(host);
    if ( rc )
        return rc;
    sim_host_fill(host->st, out);
    sim_unlock(host);
    return 0;
}

void sim_reset_counters(struct sim_host *host)
{
    if ( !host || sim_lock(host) )
        return;
    memset(host->st->calls, 0, sizeof(host->st->calls));
    memset(host->st->calls_failed, 0, sizeof(host->st->calls_failed));
    sim_unlock(host);
}

void sim_set_observer(struct sim_host *host, sim_populate_fn *fn,
                      void *opaque)
{
    if ( !host )
        return;
    host->observer = fn;
    host->observer_opaque = opaque;
}

void sim_set_call_hook(struct sim_host *host, sim_call_fn *fn, void *opaque)
{
    if ( !host )
        return;
    host->call_hook = fn;
    host->call_hook_opaque = opaque;
}
