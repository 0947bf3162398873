/** The live showcase ({@code ./eventide demo}) and the standard workload, one copy. */
module io.eventide.demo {
    requires transitive io.eventide.cli;
    requires transitive io.eventide.json;
    requires java.management; // the dashboard shows heap and GC

    exports io.eventide.demo;
}
