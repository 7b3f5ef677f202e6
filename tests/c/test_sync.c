/* Field sync from C: frames at the links' size targets, the store's merge rules and its
 * refusals (full, bad frames) that change nothing, stream framing through garbage and a
 * mid-frame start, two stores converging through summaries, and the errors of every function
 * for NULL pointers, short buffers, bad codes and stores never initialised. */
#include "check.h"
#include "seed_count.h"
#include "seed_exchange.h"

static const swapwire_link lora_us915_dr0 = {SWAPWIRE_FRAMING_MESSAGE, SWAPWIRE_PAYLOAD_LORAWAN_US915_DR0};
static const swapwire_link lora_eu868_dr0 = {SWAPWIRE_FRAMING_MESSAGE, SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0};
static const swapwire_link iridium = {SWAPWIRE_FRAMING_STREAM, SWAPWIRE_PAYLOAD_IRIDIUM_SBD_MO};
static const swapwire_link serial = {SWAPWIRE_FRAMING_STREAM, SWAPWIRE_PAYLOAD_SERIAL};
static const swapwire_link lora_eu868_dr3 = {SWAPWIRE_FRAMING_MESSAGE, SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR3};

static swapwire_record count_record(void) {
    swapwire_record r;
    memset(&r, 0, sizeof r);
    r.kind = SWAPWIRE_KIND_COUNT;
    r.body.count = seed_count();
    return r;
}

static swapwire_record source_record(uint32_t key, uint32_t revision, const char *name) {
    swapwire_record r;
    memset(&r, 0, sizeof r);
    r.kind = SWAPWIRE_KIND_SOURCE;
    r.body.source.key = key;
    r.body.source.revision = revision;
    r.body.source.kind = SWAPWIRE_SOURCE_MEDIA;
    r.body.source.name_len = (uint8_t)strlen(name);
    memcpy(r.body.source.name, name, strlen(name));
    return r;
}

/* Records compare by their encoding: struct padding is not part of a record. */
static int same_record(const swapwire_record *a, const swapwire_record *b) {
    unsigned char x[SWAPWIRE_RECORD_MAX_SIZE], y[SWAPWIRE_RECORD_MAX_SIZE];
    size_t nx = 0, ny = 0;
    return swapwire_record_encode(a, x, sizeof x, &nx, NULL) == SWAPWIRE_OK &&
           swapwire_record_encode(b, y, sizeof y, &ny, NULL) == SWAPWIRE_OK && nx == ny && memcmp(x, y, nx) == 0;
}

static size_t store_len(const swapwire_store *s) {
    size_t n = 0;
    CHECK_STATUS(swapwire_store_len(s, &n), SWAPWIRE_OK);
    return n;
}

/* Two stores hold the same records in the same order. */
static int same_contents(const swapwire_store *a, const swapwire_store *b) {
    size_t i, n = store_len(a);
    if (n != store_len(b)) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        swapwire_record x, y;
        if (swapwire_store_get(a, i, &x) != SWAPWIRE_OK || swapwire_store_get(b, i, &y) != SWAPWIRE_OK ||
            !same_record(&x, &y)) {
            return 0;
        }
    }
    return 1;
}

/* The seed count in an 11-byte frame, the bytes tests/frames.rs pins: header, tag, seq delta,
 * flags, day, parties, >16000, source and grade. */
static const unsigned char count_frame[] = {0x21, 0x09, 0x02, 0x0b, 0xec, 0x47, 0x12, 0x83, 0xe8, 0x07, 0x4f};

static void the_count_update_fits_us915_dr0(void) {
    swapwire_record r = count_record(), back[2];
    unsigned char buf[SWAPWIRE_PAYLOAD_LORAWAN_US915_DR0];
    size_t written = 0, taken = 0, n = 0;
    uint32_t sender = 1;
    swapwire_frame_info info;
    CHECK_STATUS(swapwire_frame_write(lora_us915_dr0, 1, &r, 1, buf, sizeof buf, &written, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(written == 11 && taken == 1 && memcmp(buf, count_frame, sizeof count_frame) == 0);
    CHECK_STATUS(swapwire_frame_read(buf, written, &sender, back, 2, &n, &info, NULL), SWAPWIRE_OK);
    CHECK(n == 1 && same_record(&back[0], &r));
    CHECK(info.kind == SWAPWIRE_FRAME_RECORDS && info.has_sender == 1 && info.sender == 1 && info.count == 1);
}

static void seed_like_reports_fill_51_and_340_byte_frames(void) {
    swapwire_record reports[80], back[80];
    unsigned char buf[SWAPWIRE_FRAME_MAX_SIZE], frame[SWAPWIRE_FRAME_MAX_SIZE];
    size_t i, written = 0, taken = 0, n = 0, frame_len = 0;
    uint32_t sender = 1;
    for (i = 0; i < 80; i++) {
        reports[i] = report_like_seed(1, (uint32_t)i);
    }
    /* LoRaWAN EU868 DR0-DR2: at least 4 (here 7 in 50 bytes, as the Rust tests find). */
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, reports, 80, buf, sizeof buf, &written, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(taken >= 4 && written <= 51);
    CHECK(taken == 7 && written == 50);
    CHECK_STATUS(swapwire_frame_read(buf, written, &sender, back, 80, &n, NULL, NULL), SWAPWIRE_OK);
    CHECK(n == taken);
    for (i = 0; i < n; i++) {
        CHECK(same_record(&back[i], &reports[i]));
    }
    /* Iridium SBD through its modem's serial port, stream framing included: at least 28
     * (here 51). */
    CHECK_STATUS(swapwire_frame_write(iridium, 1, reports, 80, buf, sizeof buf, &written, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(taken >= 28 && written <= 340);
    CHECK(taken == 51);
    CHECK(buf[written - 1] == 0x00);
    CHECK_STATUS(swapwire_stream_unwrap(buf, written, frame, sizeof frame, &frame_len), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_frame_read(frame, frame_len, NULL, back, 80, &n, NULL, NULL), SWAPWIRE_OK);
    CHECK(n == 51 && same_record(&back[50], &reports[50]));
    /* The next frame starts where this one stopped. */
    CHECK_STATUS(
        swapwire_frame_write(iridium, 1, reports + taken, 80 - taken, buf, sizeof buf, &written, &taken, NULL, NULL),
        SWAPWIRE_OK);
    CHECK(taken == 80 - 51);
}

static void merge_rules(void) {
    swapwire_slot slots[4];
    swapwire_store a, b;
    swapwire_slot more[4];
    swapwire_record x = report_like_seed(1, 0), older, got;
    uint8_t merged = 0;
    size_t cap = 0;
    CHECK_STATUS(swapwire_store_init(&a, slots, 4), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_capacity(&a, &cap), SWAPWIRE_OK);
    CHECK(cap == 4 && store_len(&a) == 0);

    CHECK_STATUS(swapwire_store_merge(&a, &x, &merged, NULL), SWAPWIRE_OK);
    CHECK(merged == SWAPWIRE_MERGED_INSERTED);
    CHECK_STATUS(swapwire_store_merge(&a, &x, &merged, NULL), SWAPWIRE_OK); /* idempotent */
    CHECK(merged == SWAPWIRE_MERGED_KEPT && store_len(&a) == 1);
    older = x;
    x.body.exchange.revision = 1;
    x.body.exchange.retracted = 1; /* withdrawn: a revision like any other */
    CHECK_STATUS(swapwire_store_merge(&a, &x, &merged, NULL), SWAPWIRE_OK);
    CHECK(merged == SWAPWIRE_MERGED_REPLACED);
    CHECK_STATUS(swapwire_store_merge(&a, &older, &merged, NULL), SWAPWIRE_OK);
    CHECK(merged == SWAPWIRE_MERGED_KEPT);
    CHECK_STATUS(swapwire_store_find_report(&a, 1, 1, &got), SWAPWIRE_OK);
    CHECK(same_record(&got, &x) && got.body.exchange.retracted == 1);

    /* Equal revisions, different contents: both orders keep the same one. */
    {
        swapwire_record p = source_record(5, 2, "Suspilne"), q = source_record(5, 2, "Ukrinform");
        CHECK_STATUS(swapwire_store_init(&b, more, 4), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_merge(&a, &p, NULL, NULL), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_merge(&a, &q, NULL, NULL), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_merge(&b, &q, NULL, NULL), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_merge(&b, &p, NULL, NULL), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_merge(&b, &x, NULL, NULL), SWAPWIRE_OK);
        CHECK(same_contents(&a, &b));
        /* Sources sort before reports. */
        CHECK_STATUS(swapwire_store_get(&a, 0, &got), SWAPWIRE_OK);
        CHECK(got.kind == SWAPWIRE_KIND_SOURCE && got.body.source.key == 5);
        CHECK_STATUS(swapwire_store_find_source(&b, 5, &got), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_find_source(&b, 6, &got), SWAPWIRE_NOT_FOUND);
    }
}

static void a_full_store_refuses_and_stays(void) {
    swapwire_slot slots[2];
    swapwire_store s;
    swapwire_record r0 = report_like_seed(1, 0), r1 = report_like_seed(1, 1), r2 = report_like_seed(1, 2), got;
    unsigned char frame[SWAPWIRE_FRAME_MAX_SIZE];
    swapwire_record batch[3];
    size_t written = 0, taken = 0;
    uint32_t sender = 1;
    uint8_t merged = 99;
    swapwire_applied applied = {7, 7, 7};
    CHECK_STATUS(swapwire_store_init(&s, slots, 2), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_merge(&s, &r2, NULL, NULL), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_merge(&s, &r0, NULL, NULL), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_merge(&s, &r1, &merged, NULL), SWAPWIRE_STORE_FULL);
    CHECK(merged == 99 && store_len(&s) == 2);
    CHECK_STATUS(swapwire_store_find_report(&s, 1, 2, &got), SWAPWIRE_NOT_FOUND);
    CHECK_STATUS(swapwire_store_get(&s, 1, &got), SWAPWIRE_OK);
    CHECK(same_record(&got, &r2));
    /* The copy is filled in place from the stored record: an `out` lying in the store's own
     * slots is refused and the store is unchanged. */
    {
        unsigned char before[sizeof slots];
        memcpy(before, slots, sizeof slots);
        CHECK_STATUS(swapwire_store_get(&s, 0, (swapwire_record *)(void *)&slots[1]), SWAPWIRE_INVALID_ARGUMENT);
        CHECK_STATUS(swapwire_store_find_report(&s, 1, 0, (swapwire_record *)(void *)&slots[0]),
                     SWAPWIRE_INVALID_ARGUMENT);
        CHECK(memcmp(before, slots, sizeof slots) == 0);
        CHECK_STATUS(swapwire_store_get(&s, 0, &got), SWAPWIRE_OK);
        CHECK(same_record(&got, &r0));
    }
    /* A known key still merges in a full store. */
    r0.body.exchange.revision = 3;
    CHECK_STATUS(swapwire_store_merge(&s, &r0, &merged, NULL), SWAPWIRE_OK);
    CHECK(merged == SWAPWIRE_MERGED_REPLACED);
    /* A frame with one new key too many is refused whole, its known keys included. */
    batch[0] = r0;
    batch[0].body.exchange.revision = 4;
    batch[1] = r1;
    batch[2] = r2;
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, batch, 3, frame, sizeof frame, &written, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(taken == 3);
    CHECK_STATUS(swapwire_store_apply_frame(&s, frame, written, &sender, &applied, NULL), SWAPWIRE_STORE_FULL);
    CHECK(applied.inserted == 7 && store_len(&s) == 2);
    CHECK_STATUS(swapwire_store_find_report(&s, 1, 1, &got), SWAPWIRE_OK);
    CHECK(got.body.exchange.revision == 3);
}

/* Applying `frame` fails with `want` and leaves the store as `before` was. */
static void check_refused(swapwire_store *s, const unsigned char *frame, size_t len, const uint32_t *sender,
                          swapwire_status want, const char *what) {
    swapwire_slot copy_slots[8];
    swapwire_store before;
    swapwire_applied applied = {9, 9, 9};
    size_t i, n = store_len(s);
    swapwire_record r;
    CHECK_STATUS(swapwire_store_init(&before, copy_slots, 8), SWAPWIRE_OK);
    for (i = 0; i < n; i++) {
        CHECK_STATUS(swapwire_store_get(s, i, &r), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_merge(&before, &r, NULL, NULL), SWAPWIRE_OK);
    }
    check_status_at(swapwire_store_apply_frame(s, frame, len, sender, &applied, NULL), want, what, __FILE__,
                    __LINE__);
    CHECK(applied.inserted == 9 && same_contents(s, &before));
}

static void bad_frames_change_nothing(void) {
    swapwire_slot slots[8];
    swapwire_store s;
    swapwire_record reports[3], back[3];
    unsigned char good[64], bad[64];
    size_t written = 0, taken = 0, n = 77, cut;
    uint32_t sender = 1;
    swapwire_error_detail detail = {0, 0};
    swapwire_frame_info info = {0, 0, 0, 0};
    reports[0] = report_like_seed(1, 0);
    reports[1] = report_like_seed(1, 1);
    reports[2] = count_record();
    reports[2].body.count.seq = 3;
    CHECK_STATUS(swapwire_store_init(&s, slots, 8), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_merge(&s, &reports[0], NULL, NULL), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, reports, 3, good, sizeof good, &written, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(taken == 3);

    memcpy(bad, good, written);
    bad[0] = (unsigned char)((bad[0] & 0x1f) | (2 << 5)); /* frame format version 2 */
    check_refused(&s, bad, written, &sender, SWAPWIRE_UNKNOWN_VERSION, "version 2");
    CHECK_STATUS(swapwire_frame_info_read(bad, written, &sender, &info), SWAPWIRE_UNKNOWN_VERSION);
    CHECK(info.count == 0);
    for (cut = 0; cut < written; cut++) {
        swapwire_status st;
        swapwire_applied applied;
        CHECK(store_len(&s) == 1);
        st = swapwire_store_apply_frame(&s, good, cut, &sender, &applied, NULL);
        CHECK(st != SWAPWIRE_OK);
    }
    CHECK(store_len(&s) == 1);
    memcpy(bad, good, written);
    bad[written] = 0x00;
    check_refused(&s, bad, written + 1, &sender, SWAPWIRE_TRAILING_BYTES, "a byte after the last record");
    check_refused(&s, good, written, NULL, SWAPWIRE_UNKNOWN_SENDER, "no sender from the link");
    /* The seed count's frame with its quantity replaced by 1 under the "unknown" qualifier
     * (as tests/frames.rs builds it): an invalid record rejects the whole frame. */
    memcpy(bad, count_frame, 7);
    bad[7] = 0x08;
    memcpy(bad + 8, count_frame + 10, sizeof count_frame - 10);
    check_refused(&s, bad, sizeof count_frame - 2, &sender, SWAPWIRE_INVALID_VALUE, "an invalid quantity");
    CHECK_STATUS(swapwire_frame_read(bad, sizeof count_frame - 2, &sender, back, 3, &n, NULL, &detail),
                 SWAPWIRE_INVALID_VALUE);
    CHECK(detail.field == SWAPWIRE_FIELD_QUANTITY && detail.reason == SWAPWIRE_REASON_NON_CANONICAL);
    /* frame_read checks the whole frame before writing anything. */
    memset(back, 0xA5, sizeof back);
    CHECK_STATUS(swapwire_frame_read(good, written - 1, &sender, back, 3, &n, NULL, NULL), SWAPWIRE_TRUNCATED);
    CHECK(n == 77 && ((unsigned char *)back)[0] == 0xA5);
    CHECK_STATUS(swapwire_frame_read(good, written, &sender, back, 2, &n, NULL, NULL), SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(n == 77 && ((unsigned char *)back)[0] == 0xA5);
    /* A summary is not a records frame. */
    CHECK_STATUS(swapwire_summary_write(&s, lora_eu868_dr0, 1, bad, sizeof bad, &written, &taken), SWAPWIRE_OK);
    check_refused(&s, bad, written, &sender, SWAPWIRE_MALFORMED, "a summary frame");
    CHECK_STATUS(swapwire_frame_info_read(bad, written, &sender, &info), SWAPWIRE_OK);
    CHECK(info.kind == SWAPWIRE_FRAME_SUMMARY && info.sender == 1);
}

/* Feeds `stream` to a decoder `piece` bytes at a time, applying each frame to `s`; counts
 * frames, rejections and records. */
static void feed_stream(swapwire_stream_decoder *dec, const unsigned char *stream, size_t len, size_t piece,
                        swapwire_store *s, size_t *frames, size_t *rejected) {
    size_t at = 0;
    while (at < len) {
        const unsigned char *input = stream + at;
        size_t left = len - at < piece ? len - at : piece;
        at += left;
        while (left > 0) {
            swapwire_stream_event ev;
            CHECK_STATUS(swapwire_stream_feed(dec, input, left, &ev), SWAPWIRE_OK);
            CHECK(ev.consumed > 0 && ev.consumed <= left);
            if (ev.frame != NULL) {
                CHECK_STATUS(swapwire_store_apply_frame(s, ev.frame, ev.frame_len, NULL, NULL, NULL), SWAPWIRE_OK);
                (*frames)++;
            }
            if (ev.rejected != SWAPWIRE_OK) {
                CHECK(ev.rejected == SWAPWIRE_BAD_CHECKSUM && ev.frame == NULL);
                (*rejected)++;
            }
            input += ev.consumed;
            left -= ev.consumed;
        }
    }
}

static void streams_resynchronise(void) {
    static const unsigned char garbage[] = {0x42, 0x17, 0x99, 0x00, 0x13, 0x37, 0x01, 0x00};
    swapwire_record reports[10];
    unsigned char stream[1024], one[SWAPWIRE_FRAME_MAX_SIZE], frame[SWAPWIRE_FRAME_MAX_SIZE];
    size_t i, len = 0, written = 0, taken = 0, first_len, frames = 0, rejected = 0, frame_len = 77;
    size_t piece;
    swapwire_slot slots[16];
    swapwire_store s;
    swapwire_stream_decoder dec;
    for (i = 0; i < 10; i++) {
        reports[i] = report_like_seed(7, (uint32_t)i);
    }
    /* Frame 1 (reports 0-4), garbage, frame 2 (reports 5-9), then a damaged copy of frame 1. */
    CHECK_STATUS(swapwire_frame_write(serial, 7, reports, 5, one, sizeof one, &first_len, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(taken == 5);
    memcpy(stream, one + first_len / 2, first_len - first_len / 2); /* joined mid-frame */
    len = first_len - first_len / 2;
    memcpy(stream + len, one, first_len);
    len += first_len;
    memcpy(stream + len, garbage, sizeof garbage);
    len += sizeof garbage;
    CHECK_STATUS(swapwire_frame_write(serial, 7, reports + 5, 5, stream + len, sizeof stream - len, &written, &taken,
                                      NULL, NULL),
                 SWAPWIRE_OK);
    len += written;
    memcpy(stream + len, one, first_len);
    stream[len + 3] ^= 0x10; /* a bit flip */
    len += first_len;

    for (piece = 1; piece <= 64; piece *= 4) {
        frames = rejected = 0;
        CHECK_STATUS(swapwire_store_init(&s, slots, 16), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_stream_decoder_init(&dec), SWAPWIRE_OK);
        feed_stream(&dec, stream, len, piece, &s, &frames, &rejected);
        /* the tail joined mid-frame, two garbage runs, the flipped copy */
        CHECK(frames == 2 && rejected == 4);
        CHECK(store_len(&s) == 10);
    }
    /* One frame out of its envelope, and a damaged one refused with nothing written. */
    CHECK_STATUS(swapwire_stream_unwrap(one, first_len, frame, sizeof frame, &frame_len), SWAPWIRE_OK);
    CHECK(frame_len < first_len);
    memcpy(stream, one, first_len);
    stream[5] ^= 0x01;
    memset(frame, 0xA5, sizeof frame);
    frame_len = 77;
    CHECK_STATUS(swapwire_stream_unwrap(stream, first_len, frame, sizeof frame, &frame_len), SWAPWIRE_BAD_CHECKSUM);
    CHECK(frame_len == 77 && frame[0] == 0xA5);
    CHECK_STATUS(swapwire_stream_unwrap(one, first_len, frame, 3, &frame_len), SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(frame_len == 77 && frame[0] == 0xA5);
    /* Input over SWAPWIRE_FRAME_MAX_SIZE bytes is read where it lies: a frame, its delimiter and
     * garbage after it, as a receive buffer holds them, give the frame; as many bytes of garbage
     * without a delimiter are refused, with nothing written. */
    {
        size_t one_frame_len = 0;
        CHECK(sizeof stream > SWAPWIRE_FRAME_MAX_SIZE);
        memset(stream, 0x5A, sizeof stream);
        memcpy(stream, one, first_len);
        CHECK_STATUS(swapwire_stream_unwrap(stream, sizeof stream, frame, sizeof frame, &frame_len), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_stream_unwrap(one, first_len, stream, sizeof stream, &one_frame_len), SWAPWIRE_OK);
        CHECK(frame_len == one_frame_len && memcmp(frame, stream, frame_len) == 0 && frame[frame_len] == 0xA5);
        memset(stream, 0x5A, sizeof stream);
        memset(frame, 0xA5, sizeof frame);
        frame_len = 77;
        CHECK_STATUS(swapwire_stream_unwrap(stream, sizeof stream, frame, sizeof frame, &frame_len),
                     SWAPWIRE_BAD_CHECKSUM);
        CHECK(frame_len == 77 && frame[0] == 0xA5 && frame[sizeof frame - 1] == 0xA5);
    }
    /* Random bytes never yield a frame. */
    {
        unsigned long x = 12345;
        frames = rejected = 0;
        for (i = 0; i < sizeof stream; i++) {
            x = x * 1103515245ul + 12345ul;
            stream[i] = (unsigned char)(x >> 16);
        }
        CHECK_STATUS(swapwire_store_init(&s, slots, 16), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_stream_decoder_init(&dec), SWAPWIRE_OK);
        feed_stream(&dec, stream, sizeof stream, 100, &s, &frames, &rejected);
        CHECK(frames == 0 && store_len(&s) == 0);
    }
}

/* What a frame for `link` carries once out of the link's framing: a message as it is, a stream
 * frame unwrapped into `out`. */
static size_t unframed(swapwire_link link, const unsigned char *bytes, size_t len, unsigned char *out) {
    size_t frame_len = 0;
    if (link.framing == SWAPWIRE_FRAMING_MESSAGE) {
        memcpy(out, bytes, len);
        return len;
    }
    CHECK_STATUS(swapwire_stream_unwrap(bytes, len, out, SWAPWIRE_FRAME_MAX_SIZE, &frame_len), SWAPWIRE_OK);
    return frame_len;
}

/* Records sync_once skipped because no frame of the link can carry them. */
static size_t oversized_skipped;

/* Sends what `from` holds that `to`'s summary does not claim, frame by frame over `link`;
 * returns the frames sent. Stream frames name their sender; message links say who sent. A
 * record too large for the link is skipped and counted in `oversized_skipped`, as README's
 * loop does. */
static size_t sync_once(swapwire_store *from, uint32_t from_id, swapwire_store *to, uint32_t to_id,
                        swapwire_link link) {
    unsigned char sent[SWAPWIRE_FRAME_MAX_SIZE], summary[SWAPWIRE_FRAME_MAX_SIZE], frame[SWAPWIRE_FRAME_MAX_SIZE];
    size_t summary_len = 0, spaces = 0, skip = 0, frames = 0, written = 0, taken = 0, frame_len;
    const uint32_t *link_to = link.framing == SWAPWIRE_FRAMING_MESSAGE ? &to_id : NULL;
    const uint32_t *link_from = link.framing == SWAPWIRE_FRAMING_MESSAGE ? &from_id : NULL;
    swapwire_status s;
    CHECK_STATUS(swapwire_summary_write(to, link, to_id, sent, sizeof sent, &written, &spaces), SWAPWIRE_OK);
    summary_len = unframed(link, sent, written, summary);
    for (;;) {
        written = taken = 99;
        s = swapwire_summary_missing_frame(from, summary, summary_len, link_to, skip, link, from_id, sent, sizeof sent,
                                           &written, &taken);
        if (s == SWAPWIRE_TOO_LARGE_FOR_LINK) { /* the record at `skip` can never travel here */
            CHECK(written == 99 && taken == 99);
            oversized_skipped++;
            skip++;
            continue;
        }
        CHECK_STATUS(s, SWAPWIRE_OK);
        if (s != SWAPWIRE_OK || taken == 0) {
            break;
        }
        CHECK(written <= link.payload);
        frame_len = unframed(link, sent, written, frame);
        CHECK_STATUS(swapwire_store_apply_frame(to, frame, frame_len, link_from, NULL, NULL), SWAPWIRE_OK);
        skip += taken;
        frames++;
    }
    return frames;
}

static void two_stores_converge_through_summaries(void) {
    swapwire_slot dev_slots[32], gw_slots[32];
    swapwire_store device, gateway;
    swapwire_record r, missing[32];
    unsigned char summary[64];
    size_t i, summary_len = 0, spaces = 0, count = 0, total = 0;
    uint32_t gw = 0;
    CHECK_STATUS(swapwire_store_init(&device, dev_slots, 32), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_init(&gateway, gw_slots, 32), SWAPWIRE_OK);
    for (i = 0; i < 20; i++) {
        r = report_like_seed(3, (uint32_t)i);
        CHECK_STATUS(swapwire_store_merge(&device, &r, NULL, NULL), SWAPWIRE_OK);
        if (i % 3 == 0) { /* what earlier frames already delivered, with holes */
            CHECK_STATUS(swapwire_store_merge(&gateway, &r, NULL, NULL), SWAPWIRE_OK);
        }
    }
    r = source_record(1, 0, "Coordination HQ");
    CHECK_STATUS(swapwire_store_merge(&gateway, &r, NULL, NULL), SWAPWIRE_OK);
    r = report_like_seed(3, 6);
    r.body.exchange.revision = 2; /* the gateway has a newer revision of one */
    CHECK_STATUS(swapwire_store_merge(&gateway, &r, NULL, NULL), SWAPWIRE_OK);

    /* What the device lacks per the gateway's summary: 20 - 7 held = 13. */
    CHECK_STATUS(swapwire_summary_write(&gateway, lora_eu868_dr0, 0, summary, sizeof summary, &summary_len, &spaces),
                 SWAPWIRE_OK);
    CHECK(spaces == 2 && summary_len <= 51);
    CHECK_STATUS(swapwire_summary_missing_records(&device, summary, summary_len, &gw, 0, missing, 32, &count, &total),
                 SWAPWIRE_OK);
    CHECK(count == 13 && total == 13);
    CHECK(missing[0].body.exchange.seq == 2 && missing[12].body.exchange.seq == 20);
    CHECK_STATUS(swapwire_summary_missing_records(&device, summary, summary_len, &gw, 10, missing, 2, &count, &total),
                 SWAPWIRE_OK);
    CHECK(count == 2 && total == 13 && missing[0].body.exchange.seq == 17 && missing[1].body.exchange.seq == 18);
    /* A peer that holds nothing lacks everything. */
    CHECK_STATUS(swapwire_summary_missing_records(&device, NULL, 0, NULL, 0, missing, 32, &count, NULL), SWAPWIRE_OK);
    CHECK(count == 20);

    /* Both directions over a 51-byte LoRaWAN link, then over the Iridium stream. */
    CHECK(sync_once(&device, 3, &gateway, 0, lora_eu868_dr0) >= 2);
    CHECK(sync_once(&gateway, 0, &device, 3, lora_eu868_dr0) == 1);
    CHECK(same_contents(&device, &gateway) && store_len(&device) == 21);
    /* Converged: nothing more to send, either way, on either link. */
    CHECK(sync_once(&device, 3, &gateway, 0, lora_eu868_dr0) == 0);
    CHECK(sync_once(&gateway, 0, &device, 3, iridium) == 0);
    /* A third store catches up over the Iridium stream: 21 records in one 340-byte frame. */
    {
        swapwire_slot relay_slots[32];
        swapwire_store relay;
        CHECK_STATUS(swapwire_store_init(&relay, relay_slots, 32), SWAPWIRE_OK);
        CHECK(sync_once(&gateway, 0, &relay, 9, iridium) == 1);
        CHECK(same_contents(&relay, &gateway));
    }
    CHECK_STATUS(swapwire_store_find_report(&device, 3, 7, &r), SWAPWIRE_OK);
    CHECK(r.body.exchange.revision == 2);
}

/* A gateway holding twelve devices' logs cannot claim them all in 51 bytes; its summary for
 * one device starts at that device's reports, so the device sends nothing again. */
static void a_summary_for_one_device_claims_its_reports(void) {
    static swapwire_slot gw_slots[12 * 20];
    swapwire_slot dev_slots[20];
    swapwire_store device, gateway;
    swapwire_record r;
    unsigned char summary[64], untouched[64];
    size_t i, len = 99, spaces = 99, count = 0, total = 0;
    uint32_t origin, gw = 0;
    CHECK_STATUS(swapwire_store_init(&gateway, gw_slots, 12 * 20), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_init(&device, dev_slots, 20), SWAPWIRE_OK);
    for (origin = 1; origin <= 12; origin++) {
        for (i = 0; i < 20; i++) {
            r = report_like_seed(origin, (uint32_t)i);
            CHECK_STATUS(swapwire_store_merge(&gateway, &r, NULL, NULL), SWAPWIRE_OK);
            if (origin == 12) {
                CHECK_STATUS(swapwire_store_merge(&device, &r, NULL, NULL), SWAPWIRE_OK);
            }
        }
    }
    CHECK_STATUS(swapwire_summary_write(&gateway, lora_eu868_dr0, 0, summary, sizeof summary, &len, &spaces),
                 SWAPWIRE_OK);
    {
        swapwire_record missing[20];
        CHECK_STATUS(swapwire_summary_missing_records(&device, summary, len, &gw, 0, missing, 20, &count, &total),
                     SWAPWIRE_OK);
        CHECK(spaces < 12 && total == 20); /* origin 12 did not fit */
        CHECK_STATUS(swapwire_summary_write_from(&gateway, lora_eu868_dr0, 0, 12, 0, summary, sizeof summary, &len,
                                                 &spaces),
                     SWAPWIRE_OK);
        CHECK(spaces == 1 && len <= 51);
        CHECK_STATUS(swapwire_summary_missing_records(&device, summary, len, &gw, 0, missing, 20, &count, &total),
                     SWAPWIRE_OK);
        CHECK(count == 0 && total == 0);
    }
    /* Bad arguments change nothing. */
    memset(untouched, 0xA5, sizeof untouched);
    memcpy(summary, untouched, sizeof summary);
    len = spaces = 99;
    CHECK_STATUS(swapwire_summary_write_from(NULL, lora_eu868_dr0, 0, 12, 0, summary, sizeof summary, &len, &spaces),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_summary_write_from(&gateway, lora_eu868_dr0, 0, 12, 0, summary, 0, &len, &spaces),
                 SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(len == 99 && spaces == 99 && memcmp(summary, untouched, sizeof summary) == 0);
}

/* A long-named Source sorts before the reports and fits no 11-byte frame: the sync loop skips
 * it and the Count behind it arrives; the frame writer names it and blames the link, not the
 * buffer. */
static void a_record_too_large_for_the_link_is_skipped(void) {
    swapwire_slot dev_slots[4], gw_slots[4];
    swapwire_store device, gateway;
    swapwire_record records[2], got;
    unsigned char buf[SWAPWIRE_FRAME_MAX_SIZE], untouched[SWAPWIRE_FRAME_MAX_SIZE];
    size_t written = 99, taken = 99, failed = 99, len = 0;
    const char *name = "Coordination Headquarters for the Treatment of Prisoners of War"; /* 63 bytes */
    CHECK(strlen(name) == 63 && strlen(name) <= SWAPWIRE_MAX_NAME_LEN);
    records[0] = source_record(2, 0, name);
    records[1] = count_record();
    CHECK_STATUS(swapwire_store_init(&device, dev_slots, 4), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_init(&gateway, gw_slots, 4), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_merge(&device, &records[1], NULL, NULL), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_merge(&device, &records[0], NULL, NULL), SWAPWIRE_OK);

    oversized_skipped = 0;
    CHECK(sync_once(&device, 1, &gateway, 0, lora_us915_dr0) == 1);
    CHECK(oversized_skipped == 1);
    CHECK(store_len(&gateway) == 1);
    CHECK_STATUS(swapwire_store_find_report(&gateway, 1, 2, &got), SWAPWIRE_OK);
    CHECK(same_record(&got, &records[1]));
    CHECK_STATUS(swapwire_store_find_source(&gateway, 2, &got), SWAPWIRE_NOT_FOUND);
    /* Over 51 bytes it still does not fit (67 bytes standalone); over Iridium it does. */
    oversized_skipped = 0;
    CHECK(sync_once(&device, 1, &gateway, 0, lora_eu868_dr0) == 0 && oversized_skipped == 1);
    oversized_skipped = 0;
    CHECK(sync_once(&device, 1, &gateway, 0, iridium) == 1 && oversized_skipped == 0);
    CHECK(same_contents(&device, &gateway));

    /* swapwire_frame_write: the record at records[0] is named, nothing is written. */
    memset(buf, 0xA5, sizeof buf);
    memcpy(untouched, buf, sizeof buf);
    CHECK_STATUS(swapwire_frame_write(lora_us915_dr0, 1, records, 2, buf, sizeof buf, &written, &taken, &failed, NULL),
                 SWAPWIRE_TOO_LARGE_FOR_LINK);
    CHECK(failed == 0 && written == 99 && taken == 99 && memcmp(buf, untouched, sizeof buf) == 0);
    /* Skip it and carry on: the Count fits all 11 bytes. */
    CHECK_STATUS(swapwire_frame_write(lora_us915_dr0, 1, records + 1, 1, buf, sizeof buf, &written, &taken, NULL,
                                      NULL),
                 SWAPWIRE_OK);
    CHECK(written == sizeof count_frame && taken == 1 && memcmp(buf, count_frame, written) == 0);
    /* A record that fits the link but not the buffer is the buffer's fault. */
    written = taken = failed = 99;
    CHECK_STATUS(swapwire_frame_write(lora_us915_dr0, 1, records + 1, 1, buf, 10, &written, &taken, &failed, NULL),
                 SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(failed == 99 && written == 99 && taken == 99);
    /* The missing-frame call says the same of the record at `skip`, and nothing is written. */
    written = taken = 99;
    CHECK_STATUS(swapwire_summary_missing_frame(&device, NULL, 0, NULL, 0, lora_us915_dr0, 1, buf, sizeof buf,
                                                &written, &taken),
                 SWAPWIRE_TOO_LARGE_FOR_LINK);
    CHECK(written == 99 && taken == 99);
    CHECK_STATUS(swapwire_summary_missing_frame(&device, NULL, 0, NULL, 1, lora_us915_dr0, 1, buf, sizeof buf,
                                                &written, &taken),
                 SWAPWIRE_OK);
    CHECK(taken == 1 && written == 11);
    CHECK_STATUS(swapwire_summary_missing_frame(&device, NULL, 1, NULL, 1, lora_us915_dr0, 1, buf, 10, &written,
                                                &taken),
                 SWAPWIRE_NULL_ARGUMENT); /* (NULL with a length is not "holds nothing") */
    CHECK_STATUS(swapwire_summary_missing_frame(&device, NULL, 0, NULL, 1, lora_us915_dr0, 1, buf, 10, &written,
                                                &taken),
                 SWAPWIRE_BUFFER_TOO_SMALL);
    len = strlen(swapwire_status_str(SWAPWIRE_TOO_LARGE_FOR_LINK));
    CHECK(len > 0 && strcmp(swapwire_status_str(SWAPWIRE_TOO_LARGE_FOR_LINK), "unknown status code") != 0);
}

static void errors_change_nothing(void) {
    swapwire_slot slots[2];
    swapwire_store s, never;
    swapwire_stream_decoder dec;
    swapwire_stream_event ev = {5, NULL, 5, 5};
    swapwire_record r = report_like_seed(1, 0), bad = r, got;
    unsigned char buf[64];
    size_t written = 11, taken = 11, failed = 11, len = 11;
    uint8_t merged = 11;
    swapwire_error_detail detail = {0, 0};
    swapwire_link no_framing = {2, 51}, too_big = {SWAPWIRE_FRAMING_MESSAGE, SWAPWIRE_FRAME_MAX_SIZE + 1},
                  empty = {SWAPWIRE_FRAMING_MESSAGE, 0};
    swapwire_record two[2];
    memset(&never, 0x5a, sizeof never);
    memset(&dec, 0, sizeof dec);
    memset(buf, 0xA5, sizeof buf);

    CHECK_STATUS(swapwire_store_init(NULL, slots, 2), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_store_init(&s, NULL, 2), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_store_init(&s, slots, 2), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_merge(NULL, &r, &merged, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_store_merge(&s, NULL, &merged, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_store_merge(&never, &r, &merged, NULL), SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_store_len(&never, &len), SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_store_len(&s, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK(merged == 11 && len == 11);
    CHECK_STATUS(swapwire_store_get(&s, 0, &got), SWAPWIRE_NOT_FOUND);
    CHECK_STATUS(swapwire_store_apply_frame(&s, NULL, 3, NULL, NULL, NULL), SWAPWIRE_NULL_ARGUMENT);

    /* Bad codes in a record: the store and the frame writer check them. */
    set_code(bad.body.exchange.side_b, "UK"); /* reserved, not assigned */
    CHECK_STATUS(swapwire_store_merge(&s, &bad, &merged, &detail), SWAPWIRE_INVALID_VALUE);
    CHECK(detail.field == SWAPWIRE_FIELD_SIDE_B && detail.reason == SWAPWIRE_REASON_UNKNOWN_COUNTRY);
    CHECK(merged == 11 && store_len(&s) == 0);
    two[0] = r;
    two[1] = r;
    two[1].kind = 9;
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, two, 2, buf, sizeof buf, &written, &taken, &failed, NULL),
                 SWAPWIRE_UNKNOWN_KIND);
    CHECK(failed == 1 && written == 11 && taken == 11 && buf[0] == 0xA5);
    two[1] = bad;
    detail.field = detail.reason = 0;
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, two, 2, buf, sizeof buf, &written, &taken, &failed, &detail),
                 SWAPWIRE_INVALID_VALUE);
    CHECK(failed == 1 && detail.field == SWAPWIRE_FIELD_SIDE_B && buf[0] == 0xA5);
    /* Every code known but a rule across fields broken: the frame's layout finds it, and names
     * the record just as well. */
    two[1] = r;
    memcpy(two[1].body.exchange.side_b, two[1].body.exchange.side_a, sizeof two[1].body.exchange.side_b);
    failed = 11;
    detail.field = detail.reason = 0;
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, two, 2, buf, sizeof buf, &written, &taken, &failed, &detail),
                 SWAPWIRE_INVALID_VALUE);
    CHECK(failed == 1 && detail.field == SWAPWIRE_FIELD_SIDE_B && detail.reason == SWAPWIRE_REASON_SAME_PARTY);
    CHECK(written == 11 && taken == 11 && buf[0] == 0xA5);
    /* A frame checks the records it looks at: those it takes and the first that does not fit.
     * An invalid record past them waits for the call that reaches it, which names it. */
    {
        swapwire_record nine[9];
        size_t i;
        for (i = 0; i < 8; i++) {
            nine[i] = report_like_seed(1, (uint32_t)i);
        }
        nine[8] = bad;
        CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, nine, 9, buf, sizeof buf, &written, &taken, &failed, NULL),
                     SWAPWIRE_OK);
        CHECK(taken == 7 && written <= 51);
        failed = 11;
        CHECK_STATUS(
            swapwire_frame_write(lora_eu868_dr0, 1, nine + 7, 2, buf, sizeof buf, &written, &taken, &failed, &detail),
            SWAPWIRE_INVALID_VALUE);
        CHECK(failed == 1 && detail.field == SWAPWIRE_FIELD_SIDE_B);
        written = taken = 11;
        memset(buf, 0xA5, sizeof buf);
    }

    /* Links, buffers and pointers. */
    CHECK_STATUS(swapwire_frame_write(no_framing, 1, &r, 1, buf, sizeof buf, &written, &taken, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write(too_big, 1, &r, 1, buf, sizeof buf, &written, &taken, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write(empty, 1, &r, 1, buf, sizeof buf, &written, &taken, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, &r, 1, buf, 5, &written, &taken, NULL, NULL),
                 SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, &r, 1, NULL, 64, &written, &taken, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, &r, 1, buf, sizeof buf, NULL, &taken, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, NULL, 1, buf, sizeof buf, &written, &taken, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK(written == 11 && taken == 11 && buf[0] == 0xA5);
    CHECK_STATUS(swapwire_summary_write(&s, no_framing, 1, buf, sizeof buf, &written, &taken),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_summary_write(&never, lora_eu868_dr0, 1, buf, sizeof buf, &written, &taken),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_summary_missing_records(&s, buf, 0, NULL, 0, &got, 1, &written, NULL), SWAPWIRE_TRUNCATED);
    CHECK(written == 11);

    /* A decoder never initialised, and NULLs. */
    CHECK_STATUS(swapwire_stream_feed(&dec, buf, 4, &ev), SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_stream_decoder_init(NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_stream_decoder_init(&dec), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_stream_feed(&dec, NULL, 4, &ev), SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_stream_feed(&dec, buf, 4, NULL), SWAPWIRE_NULL_ARGUMENT);
    CHECK(ev.consumed == 5 && ev.frame_len == 5);

    /* The new statuses read as what they are. */
    CHECK(strcmp(swapwire_status_str(SWAPWIRE_STORE_FULL), "the store is full; nothing was changed") == 0);
    CHECK(strcmp(swapwire_status_str(SWAPWIRE_BAD_CHECKSUM), "unknown status code") != 0);
    CHECK(strcmp(swapwire_status_str(SWAPWIRE_UNKNOWN_VERSION), "unknown status code") != 0);
    CHECK(strcmp(swapwire_status_str(SWAPWIRE_UNKNOWN_SENDER), "unknown status code") != 0);
    CHECK(strcmp(swapwire_status_str(SWAPWIRE_NOT_FOUND), "unknown status code") != 0);
    CHECK(sizeof(swapwire_slot) == SWAPWIRE_SLOT_SIZE);
}

/* swapwire_store_apply_frame_with: the same result as swapwire_store_apply_frame, with the
 * record decoded into a slot the caller keeps, whatever it held; a scratch slot overlapping the
 * store's slots, or NULL, is refused and changes nothing. */
static void a_frame_applied_through_a_scratch_slot(void) {
    static swapwire_slot scratch; /* where firmware would keep it: not on the stack */
    swapwire_slot plain_slots[8], with_slots[8];
    swapwire_store plain, with;
    swapwire_record reports[3];
    swapwire_applied applied = {9, 9, 9}, applied_with = {9, 9, 9};
    unsigned char frame[64];
    size_t written = 0, taken = 0, round;
    uint32_t sender = 1;
    reports[0] = report_like_seed(1, 0);
    reports[1] = report_like_seed(1, 1);
    reports[2] = count_record();
    reports[2].body.count.seq = 3;
    CHECK_STATUS(swapwire_store_init(&plain, plain_slots, 8), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_store_init(&with, with_slots, 8), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr0, 1, reports, 3, frame, sizeof frame, &written, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(taken == 3);
    memset(&scratch, 0xA5, sizeof scratch); /* garbage: the call must not read it */
    for (round = 0; round < 2; round++) {
        CHECK_STATUS(swapwire_store_apply_frame(&plain, frame, written, &sender, &applied, NULL), SWAPWIRE_OK);
        CHECK_STATUS(swapwire_store_apply_frame_with(&with, frame, written, &sender, &scratch, &applied_with, NULL),
                     SWAPWIRE_OK);
        CHECK(applied_with.inserted == applied.inserted && applied_with.replaced == applied.replaced &&
              applied_with.kept == applied.kept);
        CHECK(same_contents(&plain, &with));
    }
    CHECK(applied.kept == 3 && store_len(&with) == 3);
    /* Refusals change nothing. */
    applied_with.inserted = 9;
    CHECK_STATUS(swapwire_store_apply_frame_with(&with, frame, written, &sender, &with_slots[5], &applied_with, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_store_apply_frame_with(&with, frame, written, &sender, &with_slots[0], &applied_with, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_store_apply_frame_with(&with, frame, written, &sender, NULL, &applied_with, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_store_apply_frame_with(NULL, frame, written, &sender, &scratch, &applied_with, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_store_apply_frame_with(&with, frame, written - 1, &sender, &scratch, &applied_with, NULL),
                 SWAPWIRE_TRUNCATED);
    CHECK(applied_with.inserted == 9 && same_contents(&plain, &with));
}

/* swapwire_frame_read_with: the same records as swapwire_frame_read, decoded through a slot the
 * caller keeps, whatever it held; NULL, a scratch slot overlapping the frame or the output
 * array, or a misaligned one, is refused and writes nothing. */
static void a_frame_read_through_a_scratch_slot(void) {
    static swapwire_slot scratch;
    static union {
        swapwire_slot slot;
        unsigned char bytes[2 * sizeof(swapwire_slot)];
    } spare;
    swapwire_record reports[4], plain[4], with[4];
    swapwire_frame_info info = {9, 9, 9, 9}, info_with = {9, 9, 9, 9};
    unsigned char frame[SWAPWIRE_FRAME_MAX_SIZE], untouched[sizeof with];
    size_t written = 0, taken = 0, n = 0, n_with = 99, i;
    uint32_t sender = 4;
    for (i = 0; i < 3; i++) {
        reports[i] = report_like_seed(4, (uint32_t)i);
    }
    reports[3] = source_record(5, 0, "Suspilne");
    CHECK_STATUS(swapwire_frame_write(lora_eu868_dr3, 4, reports, 4, frame, sizeof frame, &written, &taken, NULL, NULL),
                 SWAPWIRE_OK);
    CHECK(taken == 4);
    memset(&scratch, 0xA5, sizeof scratch); /* garbage: the call must not read it */
    memset(with, 0xA5, sizeof with);
    CHECK_STATUS(swapwire_frame_read(frame, written, &sender, plain, 4, &n, &info, NULL), SWAPWIRE_OK);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, &scratch, with, 4, &n_with, &info_with, NULL),
                 SWAPWIRE_OK);
    CHECK(n == 4 && n_with == 4 && info.kind == info_with.kind && info.sender == info_with.sender &&
          info.has_sender == info_with.has_sender && info.count == 4 && info_with.count == 4);
    for (i = 0; i < 4; i++) {
        CHECK(same_record(&with[i], &plain[i]) && same_record(&with[i], &reports[i]));
    }
    /* Refusals write nothing. */
    memset(with, 0xA5, sizeof with);
    memcpy(untouched, with, sizeof with);
    n_with = 99;
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, NULL, with, 4, &n_with, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_read_with(NULL, written, &sender, &scratch, with, 4, &n_with, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, &scratch, NULL, 4, &n_with, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, &scratch, with, 4, NULL, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, NULL, &scratch, with, 4, &n_with, NULL, NULL),
                 SWAPWIRE_UNKNOWN_SENDER);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, (swapwire_slot *)(void *)&with[1], with, 4, &n_with,
                                          NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, (swapwire_slot *)(void *)frame, with, 4, &n_with,
                                          NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, (swapwire_slot *)(void *)(spare.bytes + 1), with, 4,
                                          &n_with, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_read_with(frame, written - 1, &sender, &scratch, with, 4, &n_with, NULL, NULL),
                 SWAPWIRE_TRUNCATED);
    CHECK_STATUS(swapwire_frame_read_with(frame, written, &sender, &scratch, with, 3, &n_with, NULL, NULL),
                 SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(n_with == 99 && memcmp(untouched, with, sizeof with) == 0);
}

/* swapwire_frame_write_with: the same bytes as swapwire_frame_write on every link, whatever the
 * scratch slot held; an invalid record is named; NULL, a scratch slot overlapping the records or
 * the buffer, or a misaligned one, is refused; a refusal writes nothing. */
static void a_frame_written_through_a_scratch_slot(void) {
    static swapwire_slot scratch;
    static union {
        swapwire_slot slot;
        unsigned char bytes[2 * sizeof(swapwire_slot)];
    } spare;
    const swapwire_link links[] = {lora_us915_dr0, lora_eu868_dr0, lora_eu868_dr3, iridium, serial};
    swapwire_record reports[6];
    unsigned char plain[SWAPWIRE_FRAME_MAX_SIZE], with[SWAPWIRE_FRAME_MAX_SIZE], untouched[SWAPWIRE_FRAME_MAX_SIZE];
    size_t written = 0, taken = 0, written_with = 99, taken_with = 99, failed = 99, i;
    swapwire_error_detail detail;
    for (i = 0; i < 5; i++) {
        reports[i] = report_like_seed(4, (uint32_t)i);
    }
    reports[5] = source_record(5, 0, "Suspilne");
    for (i = 0; i < sizeof links / sizeof links[0]; i++) {
        memset(&scratch, 0xA5, sizeof scratch); /* garbage: the call must not read it */
        memset(with, 0xA5, sizeof with);
        CHECK_STATUS(swapwire_frame_write(links[i], 4, reports, 6, plain, sizeof plain, &written, &taken, NULL, NULL),
                     SWAPWIRE_OK);
        CHECK_STATUS(swapwire_frame_write_with(links[i], 4, &scratch, reports, 6, with, sizeof with, &written_with,
                                               &taken_with, NULL, NULL),
                     SWAPWIRE_OK);
        CHECK(taken > 0 && written_with == written && taken_with == taken && memcmp(plain, with, written) == 0);
    }
    /* An invalid record fails the call and is named, as without the scratch slot. */
    reports[2].body.exchange.date.month = 13;
    memset(with, 0xA5, sizeof with);
    memcpy(untouched, with, sizeof with);
    written_with = taken_with = 99;
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, &scratch, reports, 6, with, sizeof with, &written_with,
                                           &taken_with, &failed, &detail),
                 SWAPWIRE_INVALID_VALUE);
    CHECK(failed == 2 && detail.field == SWAPWIRE_FIELD_DATE);
    reports[2] = report_like_seed(4, 2);
    /* Refusals write nothing. */
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, NULL, reports, 6, with, sizeof with, &written_with, &taken_with,
                                           NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, &scratch, NULL, 6, with, sizeof with, &written_with, &taken_with,
                                           NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, &scratch, reports, 6, NULL, sizeof with, &written_with,
                                           &taken_with, NULL, NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, &scratch, reports, 6, with, sizeof with, NULL, &taken_with, NULL,
                                           NULL),
                 SWAPWIRE_NULL_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, (swapwire_slot *)(void *)&reports[1], reports, 6, with,
                                           sizeof with, &written_with, &taken_with, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, (swapwire_slot *)(void *)with, reports, 6, with, sizeof with,
                                           &written_with, &taken_with, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, (swapwire_slot *)(void *)(spare.bytes + 1), reports, 6, with,
                                           sizeof with, &written_with, &taken_with, NULL, NULL),
                 SWAPWIRE_INVALID_ARGUMENT);
    CHECK_STATUS(swapwire_frame_write_with(serial, 4, &scratch, reports, 6, with, 3, &written_with, &taken_with, NULL,
                                           NULL),
                 SWAPWIRE_BUFFER_TOO_SMALL);
    CHECK(written_with == 99 && taken_with == 99 && memcmp(untouched, with, sizeof with) == 0);
}

int main(void) {
    the_count_update_fits_us915_dr0();
    seed_like_reports_fill_51_and_340_byte_frames();
    merge_rules();
    a_full_store_refuses_and_stays();
    bad_frames_change_nothing();
    a_frame_applied_through_a_scratch_slot();
    a_frame_written_through_a_scratch_slot();
    a_frame_read_through_a_scratch_slot();
    streams_resynchronise();
    two_stores_converge_through_summaries();
    a_summary_for_one_device_claims_its_reports();
    a_record_too_large_for_the_link_is_skipped();
    errors_change_nothing();
    return check_summary();
}
