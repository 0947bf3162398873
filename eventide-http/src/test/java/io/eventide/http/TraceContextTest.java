package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The traceparent rules of W3C Trace Context Level 1, section 3.2 and 4.3 (versioning). */
class TraceContextTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final String VALID = "00-" + TRACE + "-" + SPAN + "-01";

    @Test
    void parsesTheSpecificationsExample() {
        TraceContext t = TraceContext.parse(VALID);
        assertThat(t).isNotNull();
        assertThat(t.traceId()).isEqualTo(TRACE);
        assertThat(t.spanId()).isEqualTo(SPAN);
        assertThat(t.flags()).isEqualTo(1);
        assertThat(t.sampled()).isTrue();
        assertThat(t.traceparent()).isEqualTo(VALID);
        assertThat(TraceContext.parse("  " + VALID + " ")).isEqualTo(t);
        assertThat(TraceContext.parse("00-" + TRACE + "-" + SPAN + "-00").sampled()).isFalse();
    }

    @Test
    void rejectsWhatTheSpecificationCallsInvalid() {
        String[] invalid = {
            null, "", "garbage",
            VALID.substring(0, 54),                                   // short
            VALID + "-",                                              // version 00 with more fields
            VALID + "0",
            "ff-" + TRACE + "-" + SPAN + "-01",                       // forbidden version
            "0g-" + TRACE + "-" + SPAN + "-01",                       // not hex
            "00-" + TRACE.toUpperCase() + "-" + SPAN + "-01",         // uppercase
            "00-" + "0".repeat(32) + "-" + SPAN + "-01",              // all-zero trace id
            "00-" + TRACE + "-" + "0".repeat(16) + "-01",             // all-zero parent id
            "00-" + TRACE + "-" + SPAN + "-0x",                       // flags not hex
            "00_" + TRACE + "-" + SPAN + "-01",                       // separators
            "00-" + TRACE + "_" + SPAN + "-01",
            "00-" + TRACE + "-" + SPAN + "_01",
            "01-" + TRACE + "-" + SPAN + "-01x",                      // later version: '-' must follow
        };
        for (String h : invalid) {
            assertThat(TraceContext.parse(h)).as("%s", h).isNull();
        }
    }

    @Test
    void readsALaterVersionAsVersion00() {
        TraceContext t = TraceContext.parse("cc-" + TRACE + "-" + SPAN + "-01-what-the-future-holds");
        assertThat(t).isNotNull();
        assertThat(t.traceparent()).isEqualTo(VALID);
        assertThat(TraceContext.parse("cc-" + TRACE + "-" + SPAN + "-01")).isEqualTo(t);
    }

    @Test
    void aChildKeepsTheTraceAndFlagsWithANewSpan() {
        TraceContext parent = TraceContext.parse("00-" + TRACE + "-" + SPAN + "-00");
        Set<String> spans = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TraceContext c = parent.child();
            assertThat(c.traceId()).isEqualTo(TRACE);
            assertThat(c.flags()).isZero();
            assertThat(c.spanId()).isNotEqualTo(SPAN).matches("[0-9a-f]{16}");
            spans.add(c.spanId());
        }
        assertThat(spans).hasSize(1000);
    }

    @Test
    void continueFromStartsANewTraceWhenTheHeaderIsAbsentOrInvalid() {
        TraceContext fresh = TraceContext.continueFrom("00-" + "0".repeat(32) + "-" + SPAN + "-01");
        assertThat(fresh.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(fresh.sampled()).isTrue();
        assertThat(TraceContext.parse(fresh.traceparent())).isEqualTo(fresh);
        assertThat(TraceContext.continueFrom(null).traceId()).isNotEqualTo(fresh.traceId());
        TraceContext child = TraceContext.continueFrom(VALID);
        assertThat(child.traceId()).isEqualTo(TRACE);
        assertThat(child.spanId()).isNotEqualTo(SPAN);
    }

    @Test
    void theConstructorChecksItsArguments() {
        assertThatThrownBy(() -> new TraceContext(TRACE + "0", SPAN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TraceContext(TRACE, "0".repeat(16), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TraceContext(TRACE, SPAN, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TraceContext(TRACE, SPAN, 0xff).traceparent()).endsWith("-ff");
    }
}
