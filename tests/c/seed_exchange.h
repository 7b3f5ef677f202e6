/* "150 prisoners of war returned to Ukraine, 2025-02-05" (seed exchange 1/1), filled for the
 * host tests and the bare-metal firmware (no libc there: only memset, which the Rust library's
 * compiler builtins provide). */
#ifndef SWAPWIRE_TEST_SEED_EXCHANGE_H
#define SWAPWIRE_TEST_SEED_EXCHANGE_H

#include <string.h>

#include "swapwire.h"

static inline swapwire_exchange seed_exchange(void) {
    swapwire_exchange x;
    memset(&x, 0, sizeof x);
    x.origin = 1;
    x.seq = 1;
    x.status = SWAPWIRE_STATUS_COMPLETED;
    x.handover = SWAPWIRE_HANDOVER_LIVING;
    x.date.precision = SWAPWIRE_PRECISION_DAY;
    x.date.year = 2025;
    x.date.month = 2;
    x.date.day = 5;
    x.side_a[0] = 'U';
    x.side_a[1] = 'A';
    x.side_b[0] = 'R';
    x.side_b[1] = 'U';
    x.to_a.qualifier = SWAPWIRE_QUALIFIER_EXACT;
    x.to_a.value = 150;
    x.source = 1;
    x.grade[0] = 'B';
    x.grade[1] = '2';
    return x;
}

/* Report i of device `origin`, like the seed exchange: seq i + 1, a different number returned
 * each time, the date moving on every third report (as tests/field/mod.rs builds them). */
static inline swapwire_record report_like_seed(uint32_t origin, uint32_t i) {
    swapwire_record r;
    memset(&r, 0, sizeof r);
    r.kind = SWAPWIRE_KIND_EXCHANGE;
    r.body.exchange = seed_exchange();
    r.body.exchange.origin = origin;
    r.body.exchange.seq = 1 + i;
    r.body.exchange.to_a.value = 150 + 7 * i;
    r.body.exchange.date.day = (uint8_t)(5 + (i / 3) % 20);
    return r;
}

#endif
