/*
 * alloc.c - the per-node block pools and frame numbers.
 *
 * A node's free memory is counts of free 1 GiB blocks, 2 MiB blocks and
 * 4 KiB pages. Taking a block of an order first uses a free block of that
 * size, else splits the next larger one (a 1 GiB block becomes 512 2 MiB
 * blocks, a 2 MiB block 512 pages), as Xen's buddy allocator would. Memory
 * given back returns as the blocks it was taken as: nothing coalesces, so
 * a host only fragments over time, which is the interesting direction.
 *
 * Frames are never reused: each node has a cursor that only moves forward
 * (aligned to the block size first), and a frame is (node << 40) | cursor.
 * So an mfn names its node, and a stale mfn can never alias a new one.
 */
#include <errno.h>

#include "sim_internal.h"

#define SIM_MFN_NODE_SHIFT 40

uint64_t sim_node_free(const struct sim_node_state *node)
{
    return node->free_1g * SIM_PAGES_1G + node->free_2m * SIM_PAGES_2M +
           node->free_4k;
}

/* Index into extents[][] for a modelled order, -EINVAL for any other. */
int sim_order_idx(unsigned int order)
{
    switch ( order )
    {
    case SIM_ORDER_4K:
        return SIM_IDX_4K;
    case SIM_ORDER_2M:
        return SIM_IDX_2M;
    case SIM_ORDER_1G:
        return SIM_IDX_1G;
    default:
        return -EINVAL;
    }
}

/* Whether a block of the order can be had on the node, splitting if need be. */
bool sim_node_has_block(const struct sim_node_state *node, unsigned int order)
{
    switch ( order )
    {
    case SIM_ORDER_1G:
        return node->free_1g > 0;
    case SIM_ORDER_2M:
        return node->free_2m > 0 || node->free_1g > 0;
    default:
        return sim_node_free(node) > 0;
    }
}

static void sim_split_1g(struct sim_node_state *node)
{
    node->free_1g--;
    node->free_2m += SIM_PAGES_1G / SIM_PAGES_2M;
}

static void sim_split_2m(struct sim_node_state *node)
{
    if ( !node->free_2m )
        sim_split_1g(node);
    node->free_2m--;
    node->free_4k += SIM_PAGES_2M;
}

/* Remove one free block of the order; the caller checked sim_node_has_block. */
static void sim_take_block(struct sim_node_state *node, unsigned int order)
{
    switch ( order )
    {
    case SIM_ORDER_1G:
        node->free_1g--;
        break;
    case SIM_ORDER_2M:
        if ( !node->free_2m )
            sim_split_1g(node);
        node->free_2m--;
        break;
    default:
        if ( !node->free_4k )
            sim_split_2m(node);
        node->free_4k--;
        break;
    }
}

/* The next frame of the order on the node: aligned, never seen before. */
static xen_pfn_t sim_next_mfn(struct sim_node_state *node, unsigned int nid,
                              unsigned int order)
{
    uint64_t size = 1ull << order;
    uint64_t off = (node->cursor + size - 1) & ~(size - 1);

    node->cursor = off + size;
    return ((xen_pfn_t)nid << SIM_MFN_NODE_SHIFT) | off;
}

/*
 * Give one block of the order on node nid to dom, without any policy check
 * (sim_populate decides whether it may). Returns the block's first frame.
 */
xen_pfn_t sim_block_alloc(struct sim_state *st, struct sim_dom_state *dom,
                          unsigned int nid, unsigned int order)
{
    struct sim_node_state *node = &st->node[nid];
    uint64_t size = 1ull << order;

    sim_take_block(node, order);
    st->free_pages -= size;
    dom->tot_pages += size;
    dom->pages_on[nid] += size;
    dom->extents[nid][sim_order_idx(order)]++;
    return sim_next_mfn(node, nid, order);
}

/* Return all of dom's memory to the nodes, as the blocks it was taken as. */
void sim_dom_free_all(struct sim_state *st, struct sim_dom_state *dom)
{
    struct sim_node_state *node;
    unsigned int i;

    for ( i = 0; i < st->nr_nodes; i++ )
    {
        node = &st->node[i];
        node->free_4k += dom->extents[i][SIM_IDX_4K];
        node->free_2m += dom->extents[i][SIM_IDX_2M];
        node->free_1g += dom->extents[i][SIM_IDX_1G];
        st->free_pages += dom->pages_on[i];
    }
    dom->tot_pages = 0;
    dom->pod_cache = 0;
}

unsigned int sim_mfn_node(xen_pfn_t mfn)
{
    return (unsigned int)(mfn >> SIM_MFN_NODE_SHIFT);
}
