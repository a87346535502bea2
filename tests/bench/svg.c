/*
 * svg.c - a hand-written SVG: populate time per node and page size.
 *
 * Contract: svg_write() writes one SVG file with one grouped bar chart per
 * case, stacked vertically: a group per (node, page size) that either
 * builder used, a bar per builder (ours, stock), the time spent in populate
 * calls in ms on the y axis, axis labels, ticks and a legend. Each bar has
 * a <title> with its figures. Returns 0 or -errno, the reason recorded in
 * err.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define PANEL_H     300
#define PLOT_TOP    50
#define PLOT_H      180
#define LEFT        80
#define RIGHT       30
#define GROUP_W     52
#define BAR_W       18
#define MIN_W       720
#define NR_TICKS    5

static const char *const colour[BENCH_NR_BUILDERS] = { "#1f77b4", "#ff7f0e" };
static const char *const label[BENCH_NR_BUILDERS] = {
    "ours (meminit)", "stock (libxenguest)",
};
static const unsigned int size_order[BENCH_NR_SIZES] = { 0, 9, 18 };

struct group {
    unsigned int row;
    unsigned int size;
};

struct panel {
    struct group g[BENCH_ROWS * BENCH_NR_SIZES];
    unsigned int nr;
    double ymax_ms;
    double step_ms;
};

static void xml_text(FILE *f, const char *s)
{
    for ( ; *s; s++ )
    {
        switch ( *s )
        {
        case '&':  fputs("&amp;", f); break;
        case '<':  fputs("&lt;", f); break;
        case '>':  fputs("&gt;", f); break;
        case '"':  fputs("&quot;", f); break;
        default:   fputc(*s, f); break;
        }
    }
}

static double cell_ms(const struct bench_case *c, unsigned int who,
                      const struct group *g)
{
    if ( !c->side[who].ran )
        return 0.0;
    return c->side[who].med.cell[g->row][g->size].ns / 1e6;
}

/* 1, 2 or 5 times a power of ten, at least x. */
static double nice_step(double x)
{
    double p = pow(10.0, floor(log10(x)));

    if ( x <= p )
        return p;
    if ( x <= 2 * p )
        return 2 * p;
    if ( x <= 5 * p )
        return 5 * p;
    return 10 * p;
}

static void panel_plan(const struct bench_case *c, struct panel *p)
{
    unsigned int row, who;
    int size;
    double max = 0.0;

    memset(p, 0, sizeof(*p));
    for ( row = 0; row < BENCH_ROWS; row++ )
    {
        for ( size = BENCH_NR_SIZES - 1; size >= 0; size-- )
        {
            struct group g = { row, (unsigned int)size };
            bool used = false;

            for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
            {
                const struct bench_cell *cell =
                    &c->side[who].med.cell[row][size];

                used |= c->side[who].ran && (cell->extents || cell->calls);
                if ( cell_ms(c, who, &g) > max )
                    max = cell_ms(c, who, &g);
            }
            if ( used )
                p->g[p->nr++] = g;
        }
    }
    p->step_ms = nice_step(max > 0 ? max / NR_TICKS : 0.001);
    p->ymax_ms = p->step_ms * ceil(max > 0 ? max / p->step_ms : 1);
}

static unsigned int panel_width(const struct panel *p)
{
    unsigned int w = LEFT + RIGHT + p->nr * GROUP_W;

    return w < MIN_W ? MIN_W : w;
}

static void axes(FILE *f, const struct panel *p, unsigned int y0,
                 unsigned int width)
{
    unsigned int base = y0 + PLOT_TOP + PLOT_H, i, n;
    double y;

    n = (unsigned int)lround(p->ymax_ms / p->step_ms);
    for ( i = 0; i <= n; i++ )
    {
        y = base - (double)PLOT_H * i / n;
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%u\" y2=\"%.1f\" "
                "stroke=\"#ddd\"/>\n", LEFT, y, width - RIGHT, y);
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
                "font-size=\"11\">%g</text>\n", LEFT - 6, y + 4,
                p->step_ms * i);
    }
    fprintf(f, "<line x1=\"%d\" y1=\"%u\" x2=\"%u\" y2=\"%u\" "
            "stroke=\"#000\"/>\n", LEFT, base, width - RIGHT, base);
    fprintf(f, "<line x1=\"%d\" y1=\"%u\" x2=\"%d\" y2=\"%u\" "
            "stroke=\"#000\"/>\n", LEFT, y0 + PLOT_TOP, LEFT, base);
    fprintf(f, "<text transform=\"translate(%d,%u) rotate(-90)\" "
            "text-anchor=\"middle\" font-size=\"12\">time in populate calls "
            "(ms)</text>\n", 18, y0 + PLOT_TOP + PLOT_H / 2);
    fprintf(f, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\" "
            "font-size=\"12\">node / page size</text>\n",
            (LEFT + width - RIGHT) / 2, base + 44);
}

static void bar(FILE *f, const struct bench_case *c, const struct panel *p,
                unsigned int who, unsigned int gi, unsigned int base)
{
    const struct group *g = &p->g[gi];
    const struct bench_cell *cell = &c->side[who].med.cell[g->row][g->size];
    double ms = cell_ms(c, who, g), h = PLOT_H * ms / p->ymax_ms;
    unsigned int x = LEFT + gi * GROUP_W + (GROUP_W - 2 * BAR_W - 4) / 2 +
                     who * (BAR_W + 4);
    uint64_t pages = cell->extents << size_order[g->size];

    if ( !c->side[who].ran )
        return;
    if ( h < 1 && (cell->extents || cell->calls) )
        h = 1;      /* visible, however small */
    fprintf(f, "<rect x=\"%u\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
            "fill=\"%s\"><title>%s, node ", x, base - h, BAR_W, h,
            colour[who], label[who]);
    if ( g->row == BENCH_ANY )
        fputs("any", f);
    else
        fprintf(f, "%u", g->row);
    fprintf(f, ", %s: %.3f ms, %.1f MiB, %u call(s)</title></rect>\n",
            bench_size_name(g->size), ms, (double)pages / BENCH_PAGES_MIB,
            cell->calls);
}

static void groups(FILE *f, const struct bench_case *c,
                   const struct panel *p, unsigned int y0)
{
    unsigned int base = y0 + PLOT_TOP + PLOT_H, gi, who, cx;

    for ( gi = 0; gi < p->nr; gi++ )
    {
        for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
            bar(f, c, p, who, gi, base);
        cx = LEFT + gi * GROUP_W + GROUP_W / 2;
        if ( p->g[gi].row == BENCH_ANY )
            fprintf(f, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\" "
                    "font-size=\"11\">any</text>\n", cx, base + 14);
        else
            fprintf(f, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\" "
                    "font-size=\"11\">n%u</text>\n", cx, base + 14,
                    p->g[gi].row);
        fprintf(f, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\" "
                "font-size=\"11\">%s</text>\n", cx, base + 27,
                bench_size_name(p->g[gi].size));
    }
}

static void legend(FILE *f, const struct bench_case *c, unsigned int y0,
                   unsigned int width)
{
    unsigned int who, x = width - RIGHT - 330;

    for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
    {
        fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"12\" height=\"12\" "
                "fill=\"%s\"/>\n", x, y0 + 30, colour[who]);
        fprintf(f, "<text x=\"%u\" y=\"%u\" font-size=\"12\">%s%s</text>\n",
                x + 16, y0 + 40, label[who],
                c->side[who].ran ? "" : " (not run)");
        x += 170;
    }
}

static void title(FILE *f, const struct bench *b, const struct bench_case *c,
                  unsigned int y0)
{
    fprintf(f, "<text x=\"%d\" y=\"%u\" font-size=\"14\" "
            "font-weight=\"bold\">", LEFT, y0 + 20);
    xml_text(f, b->opts.name ? b->opts.name : b->topo.name);
    fprintf(f, ": %s guest of ", b->guest.type == BENCH_HVM ? "HVM" : "PV");
    if ( b->guest.pages % BENCH_PAGES_1G )
        fprintf(f, "%llu MiB", (unsigned long long)(b->guest.pages /
                                                    BENCH_PAGES_MIB));
    else
        fprintf(f, "%llu GiB", (unsigned long long)(b->guest.pages /
                                                    BENCH_PAGES_1G));
    fprintf(f, ", preferred node %u (%s host)</text>\n", c->pnode,
            strcmp(b->ops->name, "sim") ? "real Xen" : "simulated");
}

int svg_write(const char *path, const struct bench *b,
              struct meminit_error *err)
{
    struct panel *p = calloc(b->nr_cases ? b->nr_cases : 1, sizeof(*p));
    unsigned int i, width = MIN_W;
    FILE *f;
    int rc = 0;

    if ( !p )
        return meminit_error_set(err, "plot", ENOMEM, "out of memory");
    for ( i = 0; i < b->nr_cases; i++ )
    {
        panel_plan(&b->cases[i], &p[i]);
        if ( panel_width(&p[i]) > width )
            width = panel_width(&p[i]);
    }
    f = fopen(path, "w");
    if ( !f )
    {
        rc = meminit_error_set(err, "plot", errno, "%s: %s", path,
                               strerror(errno));
        free(p);
        return rc;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
            "height=\"%u\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            width, PANEL_H * (b->nr_cases ? b->nr_cases : 1));
    for ( i = 0; i < b->nr_cases; i++ )
    {
        title(f, b, &b->cases[i], i * PANEL_H);
        legend(f, &b->cases[i], i * PANEL_H, width);
        axes(f, &p[i], i * PANEL_H, width);
        groups(f, &b->cases[i], &p[i], i * PANEL_H);
    }
    fputs("</svg>\n", f);
    if ( fclose(f) )
        rc = meminit_error_set(err, "plot", EIO, "%s: write failed", path);
    free(p);
    return rc;
}
