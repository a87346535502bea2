/*
 * xc_report.c - libxenctrl's logging entry points, silenced.
 *
 * libxenguest reports through these (xc_private.h, not in xenctrl.h). The
 * real ones dereference the logger held in the xc_interface, which the
 * simulator's handle does not have; and the simulator never prints. So they
 * do nothing, and in particular leave errno alone: libxenguest reads it
 * after reporting.
 */
#include "sim_internal.h"

void xc_report_error(xc_interface *xch, int code, const char *fmt, ...)
{
    (void)xch;
    (void)code;
    (void)fmt;
}

void xc_reportv(xc_interface *xch, xentoollog_logger *lg,
                xentoollog_level level, int code, const char *fmt,
                va_list args)
{
    (void)xch;
    (void)lg;
    (void)level;
    (void)code;
    (void)fmt;
    (void)args;
}

void xc_report(xc_interface *xch, xentoollog_logger *lg,
               xentoollog_level level, int code, const char *fmt, ...)
{
    (void)xch;
    (void)lg;
    (void)level;
    (void)code;
    (void)fmt;
}

void xc_report_progress_single(xc_interface *xch, const char *doing)
{
    (void)xch;
    (void)doing;
}

void xc_report_progress_step(xc_interface *xch, unsigned long done,
                             unsigned long total)
{
    (void)xch;
    (void)done;
    (void)total;
}
