/* Two facts of the seed news reports as swapwire records, from C: fill the struct, encode it
 * into a buffer, print the bytes, decode them back into a fresh struct and print that.
 *
 *   cargo build -p swapwire-capi --release && make -C examples/c run
 */
#include <stdio.h>
#include <string.h>

#include "swapwire.h"

static const char *const qualifier_prefix[] = {"unknown", "undisclosed", "", ">", "<", "~", "", "all"};

static void print_quantity(const char *label, const swapwire_quantity *q) {
    printf("  %-9s ", label);
    if (q->qualifier == SWAPWIRE_QUALIFIER_RANGE) {
        printf("%lu-%lu\n", (unsigned long)q->value, (unsigned long)q->high);
    } else if (q->qualifier >= SWAPWIRE_QUALIFIER_EXACT && q->qualifier <= SWAPWIRE_QUALIFIER_APPROX) {
        printf("%s%lu\n", qualifier_prefix[q->qualifier], (unsigned long)q->value);
    } else {
        printf("%s\n", qualifier_prefix[q->qualifier & 7]);
    }
}

static void print_date(const swapwire_date *d) {
    static const char *const formats[] = {"unknown", "%04u", "%04u-%02u", "%04u-%02u-%02u"};
    printf("  date      ");
    printf(formats[d->precision & 3], (unsigned)d->year, (unsigned)d->month, (unsigned)d->day);
    printf("\n");
}

static void print_record(const swapwire_record *r) {
    if (r->kind == SWAPWIRE_KIND_EXCHANGE) {
        const swapwire_exchange *x = &r->body.exchange;
        printf("  exchange  %lu/%lu, status code %u, %s <-> %s, grade %s\n", (unsigned long)x->origin,
               (unsigned long)x->seq, (unsigned)x->status, x->side_a, x->side_b, x->grade);
        print_date(&x->date);
        print_quantity("to_a", &x->to_a);
        print_quantity("to_b", &x->to_b);
    } else if (r->kind == SWAPWIRE_KIND_COUNT) {
        const swapwire_count *c = &r->body.count;
        printf("  count     %lu/%lu, population code %u, %s people held by %s, grade %s\n", (unsigned long)c->origin,
               (unsigned long)c->seq, (unsigned)c->population, c->people, c->holder[0] ? c->holder : "(not stated)",
               c->grade);
        print_date(&c->date);
        print_quantity("quantity", &c->quantity);
    }
}

/* Encodes, prints the bytes, decodes into a fresh struct, prints it. Returns 0 on success. */
static int round_trip(const char *title, const swapwire_record *record) {
    uint8_t buf[SWAPWIRE_RECORD_MAX_SIZE];
    size_t written = 0, i;
    swapwire_record back;
    swapwire_error_detail detail;
    swapwire_status status = swapwire_record_encode(record, buf, sizeof buf, &written, &detail);
    if (status != SWAPWIRE_OK) {
        fprintf(stderr, "%s: %s", title, swapwire_status_str(status));
        if (status == SWAPWIRE_INVALID_VALUE) {
            fprintf(stderr, " (%s: %s)", swapwire_field_name(detail.field), swapwire_reason_str(detail.reason));
        }
        fprintf(stderr, "\n");
        return 1;
    }
    printf("%s\n  %lu bytes:", title, (unsigned long)written);
    for (i = 0; i < written; i++) {
        printf(" %02x", buf[i]);
    }
    printf("\n");
    status = swapwire_record_decode(buf, written, &back, NULL);
    if (status != SWAPWIRE_OK) {
        fprintf(stderr, "%s: decode: %s\n", title, swapwire_status_str(status));
        return 1;
    }
    print_record(&back);
    return 0;
}

int main(void) {
    swapwire_record exchange, count, bad;

    /* Seed 000: "on Feb. 5 ... Ukraine secured the return of 150 POWs". */
    memset(&exchange, 0, sizeof exchange);
    exchange.kind = SWAPWIRE_KIND_EXCHANGE;
    exchange.body.exchange.origin = 1;
    exchange.body.exchange.seq = 1;
    exchange.body.exchange.status = SWAPWIRE_STATUS_COMPLETED;
    exchange.body.exchange.date.precision = SWAPWIRE_PRECISION_DAY;
    exchange.body.exchange.date.year = 2025;
    exchange.body.exchange.date.month = 2;
    exchange.body.exchange.date.day = 5;
    strcpy(exchange.body.exchange.side_a, "UA");
    strcpy(exchange.body.exchange.side_b, "RU");
    exchange.body.exchange.to_a.qualifier = SWAPWIRE_QUALIFIER_EXACT;
    exchange.body.exchange.to_a.value = 150;
    exchange.body.exchange.source = 1;
    strcpy(exchange.body.exchange.grade, "B2");

    /* Seed 000: "Moscow holds over 16,000 Ukrainian civilians", as of 2025-03-06. */
    memset(&count, 0, sizeof count);
    count.kind = SWAPWIRE_KIND_COUNT;
    count.body.count.origin = 1;
    count.body.count.seq = 2;
    count.body.count.population = SWAPWIRE_POPULATION_CIVILIANS_HELD;
    count.body.count.date.precision = SWAPWIRE_PRECISION_DAY;
    count.body.count.date.year = 2025;
    count.body.count.date.month = 3;
    count.body.count.date.day = 6;
    strcpy(count.body.count.holder, "RU");
    strcpy(count.body.count.people, "UA");
    count.body.count.quantity.qualifier = SWAPWIRE_QUALIFIER_AT_LEAST;
    count.body.count.quantity.value = 16000;
    count.body.count.source = 2;
    strcpy(count.body.count.grade, "B2");

    if (round_trip("exchange 1/1: completed 2025-02-05, 150 POWs returned to Ukraine", &exchange) != 0 ||
        round_trip("count 1/2: Russia holds over 16,000 Ukrainian civilians", &count) != 0) {
        return 1;
    }

    /* The error convention: a status, and for an invalid value the field and the reason. */
    bad = exchange;
    strcpy(bad.body.exchange.side_b, "UA");
    printf("the same exchange with Ukraine on both sides is refused:\n  ");
    fflush(stdout);
    return round_trip("exchange UA <-> UA", &bad) == 1 ? 0 : 1;
}
