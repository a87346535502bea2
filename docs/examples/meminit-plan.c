/* Where would a 4 GiB HVM guest's memory come from on this host? */
#include <stdio.h>
#include <meminit/meminit.h>

int main(void)
{
    struct meminit_request req = {
        .domid = DOMID_INVALID, .policy.pnode = MEMINIT_NO_NODE, /* no domain */
        .guest = MEMINIT_GUEST_HVM, .total_pages = 4ull << 18,  /* 4 KiB pages */
        .hvm = { .lowmem_end = 3ull << 30, .mmio_start = 3ull << 30,
                 .mmio_size = 1ull << 30, .highmem_end = 5ull << 30,
                 .device_model = true } };
    struct meminit_error err = { 0 };
    struct meminit_stats st;
    uint64_t pages[MEMINIT_MAX_NODES];

    if ( !(req.xch = xc_interface_open(NULL, NULL, 0)) )
        return perror("xc_interface_open"), 1;
    if ( meminit_plan(&req, &st, pages, &err) )
        return fprintf(stderr, "%s: %s\n", err.step, err.msg), 1;
    printf("preferred node %d (%s)\n", (int)st.pnode,
           meminit_pnode_reason_name(st.pnode_reason));
    for ( unsigned int n = 0; n < st.nr_nodes; n++ )
        printf("node %u: %llu MiB\n", n, (unsigned long long)pages[n] >> 8);
    xc_interface_close(req.xch);
    return 0;
}
