package io.eventide.lab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventide.lab.LabOptions;
import io.eventide.lab.report.Workloads;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabPartsTest {

    @Test
    void wrkResultsAreReadFromTheLuaHookLine() throws IOException {
        String out = """
                Running 5s test @ http://127.0.0.1:20001/plaintext
                  1 threads and 50 connections
                LAB WRK {"requests":250000,"durationUs":5000000,"connect":0,"read":3,"write":0,"status":2,\
                "timeout":1,"meanUs":980.5,"p50Us":900,"p90Us":1500,"p99Us":4200,"p999Us":9000,"maxUs":12000}
                """;
        Wrk.Result r = Wrk.parse(out);
        assertThat(r.rps()).isEqualTo(50_000.0);
        assertThat(r.p99Ms()).isEqualTo(4.2);
        assertThat(r.maxMs()).isEqualTo(12.0);
        assertThat(r.errors()).isEqualTo(6);
        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .isInstanceOf(IOException.class).hasMessageContaining("Connection refused");
    }

    @Test
    void optionsDefaultToTheFullRunAndQuickShortensIt() {
        LabOptions full = LabOptions.parse();
        assertThat(full.reps()).isEqualTo(3);
        assertThat(full.seconds()).isEqualTo(5);
        assertThat(full.cellSeconds(10_000)).isEqualTo(8);
        assertThat(full.runs(Workloads.IDLE)).isTrue();
        assertThat(full.runs(Workloads.BLOCKING)).isTrue();
        assertThat(full.pgUrl()).isEqualTo(LabOptions.DEFAULT_PG_URL);
        assertThat(LabOptions.parse("--workloads", "blocking", "--pg-url", "jdbc:postgresql://db/x").pgUrl())
                .isEqualTo("jdbc:postgresql://db/x");
        LabOptions quick = LabOptions.parse("--quick", "--models", "jetty,eventide-1", "--workloads", "delay",
                "--out", "x", "--note", "shared machine");
        assertThat(quick.reps()).isEqualTo(1);
        assertThat(quick.includes("jetty")).isTrue();
        assertThat(quick.includes("vertx")).isFalse();
        assertThat(quick.runs(Workloads.DELAY)).isTrue();
        assertThat(quick.runs(Workloads.PLAINTEXT)).isFalse();
        assertThat(quick.notes()).containsExactly("shared machine");
        assertThatThrownBy(() -> LabOptions.parse("--workloads", "nope")).hasMessageContaining("unknown workload");
        assertThatThrownBy(() -> LabOptions.parse("--reps")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LabOptions.parse("--fast")).hasMessageContaining("unknown option");
    }

    @Test
    void cpuListsAreCounted() {
        assertThat(Environment.countCpus("0")).isEqualTo(1);
        assertThat(Environment.countCpus("0-3,6")).isEqualTo(5);
    }

    @Test
    void theCatalogueNamesEveryModelOnce() {
        List<ServerModel> all = ServerModel.catalogue(1, true);
        assertThat(all).extracting(ServerModel::id).containsExactly("eventide-1", "eventide-n", "vertx", "node",
                "jetty", "helidon");
        assertThat(all.get(1).env()).containsEntry("EVENTIDE_LOOPS", "2");
        assertThat(ServerModel.catalogue(4, false)).extracting(ServerModel::id).doesNotContain("node");
        assertThat(Progress.clock(754)).isEqualTo("12:34");
        assertThat(BlockingWorkload.eligible(all)).extracting(ServerModel::id).containsExactly("eventide-1",
                "eventide-n");
    }
}
