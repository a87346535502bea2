/*
 * signals.h - the stop flag: SIGTERM, SIGINT and SIGHUP stop a build
 * cleanly instead of killing it with a claim left on the domain.
 *
 * Contract:
 *  - xg_signals_catch() installs one handler for SIGTERM, SIGINT and SIGHUP
 *    and ignores SIGPIPE (a closed control fd is a write error, not a
 *    death). The handler only stores the signal's number in the flag: it
 *    is async-signal-safe and never exits.
 *  - xg_signals_flag() is that flag, for meminit_request.stop: meminit polls
 *    it between populate calls and fails with -EINTR (step "populate"), so
 *    the normal failure path cancels the claim and writes the error line.
 *  - xg_signals_caught() is the signal that stopped us, 0 if none.
 *  - xg_signals_reraise(), called last, after every cleanup: if a signal was
 *    caught, restore its default action and raise it again, so the process
 *    dies of it as its parent expects (xenopsd reads the wait status). It
 *    returns only when nothing was caught (or the default is to ignore).
 *  - xg_signals_set() fills a set with the caught signals, for callers that
 *    block them around a section (the robustness tests hold a build until a
 *    signal arrives with sigsuspend()).
 *  - Source: the old xenguest died at once on SIGTERM, leaving its claim;
 *    Xen keeps a domain's claim until it is cancelled (a claim of 0 pages)
 *    or the domain dies (xen/common/page_alloc.c, domain_set_outstanding_
 *    pages()).
 *  - The flag is the front end's one piece of static state: a signal
 *    handler has nowhere else to write. One per process.
 */
#ifndef XG_SIGNALS_H
#define XG_SIGNALS_H

#include <signal.h>

void xg_signals_catch(void);
const volatile sig_atomic_t *xg_signals_flag(void);
int xg_signals_caught(void);
void xg_signals_reraise(void);
void xg_signals_set(sigset_t *set);

#endif /* XG_SIGNALS_H */
