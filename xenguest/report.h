/*
 * report.h - the placement report: what came from which node, in which
 * page size, how long each node took, and why each fallback happened.
 *
 * Contract: pure formatting of struct meminit_stats. Text for people, JSON
 * for scripts (one object on one line, written with json-c; its keys are
 * described by docs/report.schema.json, whose version is
 * XG_REPORT_SCHEMA_VERSION, the object's "schema_version"), a
 * one-line summary for the control fd's info: line and the per-node string
 * written to xenstore. Nothing here talks to Xen or exits; the FILE *
 * functions return 0 or -EIO.
 */
#ifndef XG_REPORT_H
#define XG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "meminit.h"

/* Raised when a key changes meaning or goes away (adding one does not). */
#define XG_REPORT_SCHEMA_VERSION 2

struct xg_report_ctx {
    uint32_t domid;                     /* DOMID_INVALID: a plan, no domain */
    const char *mode;                   /* "hvm_build", ... */
    const struct meminit_stats *st;
    const uint64_t *plan;               /* --plan: pages per node, or NULL */
    bool has_result;                    /* the build succeeded: */
    uint64_t store_frame;
    uint64_t console_frame;
    const char *protocol;               /* PV only, else NULL */
};

/* 0, or -EIO when out fails (-ENOMEM: json-c could not allocate). */
int xg_report_text(FILE *out, const struct xg_report_ctx *r);
int xg_report_json(FILE *out, const struct xg_report_ctx *r);

/* "node 1 (given): 1024 MiB on node 1 (100%), 0 fallbacks, claim host". */
void xg_report_summary(char *buf, size_t len, const struct meminit_stats *st);

/* "0:0 1:1024 2:0 3:0": MiB per node, for xenstore. */
void xg_report_nodes(char *buf, size_t len, const struct meminit_stats *st);

/*
 * The report as short lines for the control fd's info: lines (xenopsd logs
 * them): the claim, one line per node that supplied memory, one per kept
 * fallback. emit() is called once per line.
 */
typedef void xg_report_line_fn(void *opaque, const char *line);
void xg_report_lines(const struct meminit_stats *st, xg_report_line_fn *emit,
                     void *opaque);


#endif /* XG_REPORT_H */
