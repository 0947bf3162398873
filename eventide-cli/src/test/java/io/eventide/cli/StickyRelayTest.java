package io.eventide.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of sticky routing that need no cluster: the cookie and the supervisor's peers line. */
class StickyRelayTest {
    @Test
    void findsItsCookieAmongOthers() {
        assertThat(StickyRelay.cookie("a=1; eventide_worker=2; b=3")).isEqualTo("2");
        assertThat(StickyRelay.cookie("eventide_worker=1")).isEqualTo("1");
        assertThat(StickyRelay.cookie("xeventide_worker=1; a=2")).isNull();
        assertThat(StickyRelay.cookie(null)).isNull();
    }

    @Test
    void readsThePeersLineAndSkipsGarbledEntries() {
        assertThat(ClusterLink.peers("peers 1=41234 2=39291")).isEqualTo(Map.of("1", 41234, "2", 39291));
        assertThat(ClusterLink.peers("peers 1=x 2=5")).isEqualTo(Map.of("2", 5));
        assertThat(ClusterLink.peers("peers")).isEmpty();
    }
}
