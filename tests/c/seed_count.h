/* "Moscow holds over 16,000 Ukrainian civilians" (seed count 1/2, as of 2025-03-06), filled
 * for the host tests and the bare-metal firmware (where memset comes from the Rust library's
 * compiler builtins, not from a libc). */
#ifndef SWAPWIRE_TEST_SEED_COUNT_H
#define SWAPWIRE_TEST_SEED_COUNT_H

#include <string.h>

#include "swapwire.h"

static inline swapwire_count seed_count(void) {
    swapwire_count c;
    memset(&c, 0, sizeof c);
    c.origin = 1;
    c.seq = 2;
    c.population = SWAPWIRE_POPULATION_CIVILIANS_HELD;
    c.date.precision = SWAPWIRE_PRECISION_DAY;
    c.date.year = 2025;
    c.date.month = 3;
    c.date.day = 6;
    c.holder[0] = 'R';
    c.holder[1] = 'U';
    c.people[0] = 'U';
    c.people[1] = 'A';
    c.quantity.qualifier = SWAPWIRE_QUALIFIER_AT_LEAST;
    c.quantity.value = 16000;
    c.source = 2;
    c.grade[0] = 'B';
    c.grade[1] = '2';
    return c;
}

#endif
