/*
 * signals.c - the stop flag and the handler that sets it.
 */
#include <signal.h>
#include <stddef.h>

#include "signals.h"

/* Written by the handler only; read between populate calls. */
static volatile sig_atomic_t stop_signal;

static const int caught[] = { SIGTERM, SIGINT, SIGHUP };

static void on_signal(int sig)
{
    stop_signal = sig;
}

void xg_signals_set(sigset_t *set)
{
    size_t i;

    sigemptyset(set);
    for ( i = 0; i < sizeof(caught) / sizeof(caught[0]); i++ )
        sigaddset(set, caught[i]);
}

void xg_signals_catch(void)
{
    struct sigaction sa = { .sa_handler = on_signal };
    size_t i;

    sigemptyset(&sa.sa_mask);
    for ( i = 0; i < sizeof(caught) / sizeof(caught[0]); i++ )
        sigaction(caught[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

const volatile sig_atomic_t *xg_signals_flag(void)
{
    return &stop_signal;
}

int xg_signals_caught(void)
{
    return stop_signal;
}

void xg_signals_reraise(void)
{
    int sig = stop_signal;

    if ( !sig )
        return;
    signal(sig, SIG_DFL);
    raise(sig);
}
