package io.eventide.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventide.core.LoopGroup;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every codec against pgjdbc: the same SELECT through pgjdbc and through eventide-pg, read three
 * ways (first execution: text results; second: cached and binary; simple protocol: text), must give
 * equal Java values. Parameters of every mapped Java type must come back as sent.
 */
class CodecConformanceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static String db;
    static LoopGroup group;
    static PgClient pg;

    /** How pgjdbc's value is read for comparison. */
    enum Kind { NUMBER, FLOATING, DECIMAL, OBJECT, STRING, BYTES, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, ARRAY }

    record Case(String expr, Kind kind) {
    }

    static final List<Case> CASES = List.of(
            new Case("32767::int2", Kind.NUMBER), new Case("(-32768)::int2", Kind.NUMBER),
            new Case("2147483647::int4", Kind.NUMBER), new Case("(-2147483648)::int4", Kind.NUMBER),
            new Case("9223372036854775807::int8", Kind.NUMBER), new Case("(-9223372036854775808)::int8", Kind.NUMBER),
            new Case("4294967295::oid", Kind.NUMBER),
            new Case("3.14159::float4", Kind.FLOATING), new Case("'NaN'::float4", Kind.FLOATING),
            new Case("'-Infinity'::float4", Kind.FLOATING), new Case("1.4e-45::float4", Kind.FLOATING),
            new Case("2.718281828459045::float8", Kind.FLOATING), new Case("'Infinity'::float8", Kind.FLOATING),
            new Case("1e308::float8", Kind.FLOATING), new Case("(-0.0)::float8", Kind.FLOATING),
            new Case("0::numeric", Kind.DECIMAL), new Case("0.0000::numeric", Kind.DECIMAL),
            new Case("(-0.001)::numeric", Kind.DECIMAL), new Case("10000::numeric", Kind.DECIMAL),
            new Case("123456789012345678901234567890.123456789::numeric", Kind.DECIMAL),
            new Case("1e-20::numeric", Kind.DECIMAL), new Case("12.50::numeric(10,2)", Kind.DECIMAL),
            new Case("'NaN'::numeric", Kind.OBJECT),
            new Case("true", Kind.OBJECT), new Case("false", Kind.OBJECT),
            new Case("'héllo ☃ 😀'::text", Kind.STRING), new Case("''::text", Kind.STRING),
            new Case("'ab'::varchar(10)", Kind.STRING), new Case("'ab'::char(5)", Kind.STRING),
            new Case("'pg_class'::name", Kind.STRING), new Case("'x'::\"char\"", Kind.STRING),
            new Case("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", Kind.OBJECT),
            new Case("'\\x00ff10'::bytea", Kind.BYTES), new Case("''::bytea", Kind.BYTES),
            new Case("'2024-02-29'::date", Kind.DATE), new Case("'infinity'::date", Kind.DATE),
            new Case("'-infinity'::date", Kind.DATE), new Case("'0044-03-15 BC'::date", Kind.DATE),
            new Case("'13:45:06.123456'::time", Kind.TIME), new Case("'00:00:00'::time", Kind.TIME),
            new Case("'2024-01-02 03:04:05.678901'::timestamp", Kind.TIMESTAMP),
            new Case("'infinity'::timestamp", Kind.TIMESTAMP), new Case("'1900-01-01 00:00:00'::timestamp", Kind.TIMESTAMP),
            new Case("'2024-01-02 03:04:05.678901+05:30'::timestamptz", Kind.TIMESTAMPTZ),
            new Case("'1970-01-01 00:00:00+00'::timestamptz", Kind.TIMESTAMPTZ),
            new Case("'{\"a\": [1, 2.5, \"x\"], \"b\": null}'::json", Kind.STRING),
            new Case("'{\"b\": null, \"a\": [1, 2.5, \"x\"]}'::jsonb", Kind.STRING),
            new Case("'{1,NULL,3}'::int4[]", Kind.ARRAY), new Case("'{}'::int4[]", Kind.ARRAY),
            new Case("'{{1,2},{3,4}}'::int8[]", Kind.ARRAY), new Case("'{1,2}'::int2[]", Kind.ARRAY),
            new Case("ARRAY['a b', 'c\"d', NULL, '', 'e,f', 'NULL']::text[]", Kind.ARRAY),
            new Case("'{1.5,NaN,-Infinity}'::float8[]", Kind.ARRAY), new Case("'{t,f,NULL}'::bool[]", Kind.ARRAY),
            new Case("'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'::uuid[]", Kind.ARRAY),
            new Case("'{1.10,-2,3e3}'::numeric[]", Kind.ARRAY), new Case("'{2024-01-01,NULL}'::date[]", Kind.ARRAY),
            new Case("ARRAY['x'::varchar]", Kind.ARRAY),
            new Case("'1 day 02:03:04'::interval", Kind.STRING), new Case("'192.168.0.1/24'::inet", Kind.STRING),
            new Case("'[1,5)'::int4range", Kind.STRING), new Case("'(1,2)'::point", Kind.STRING),
            new Case("'<a>x</a>'::xml", Kind.STRING), new Case("'13:00:00+02'::timetz", Kind.STRING),
            new Case("NULL::int4", Kind.OBJECT), new Case("NULL::text", Kind.STRING));

    @BeforeAll
    static void setUp() {
        db = PgTesting.createDatabase("evcodec");
        group = LoopGroup.create(1);
        pg = PgClient.create(group, PgTesting.options(db).maxSize(1));
    }

    @AfterAll
    static void tearDown() {
        pg.close().join(WAIT);
        group.close(Duration.ofSeconds(5)).join();
        PgTesting.dropDatabase(db);
    }

    @Test
    void everyTypeDecodesLikePgjdbcInTextAndBinary() throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (Connection c = PgTesting.admin(db); Statement st = c.createStatement()) {
            for (Case k : CASES) {
                String sql = "SELECT " + k.expr();
                Object expected;
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    expected = jdbcValue(rs, k.kind());
                }
                Object first = pg.query(sql).join(WAIT).first().get(0);          // text: statement not described yet
                Object second = pg.query(sql).join(WAIT).first().get(0);         // binary where decodable
                Object simple = pg.script(sql).join(WAIT).get(0).first().get(0); // simple protocol
                for (Object[] got : new Object[][] {{"text", first}, {"binary", second}, {"simple", simple}}) {
                    if (!same(expected, got[1], k.kind())) {
                        mismatches.add(k.expr() + " [" + got[0] + "]: pgjdbc " + show(expected) + ", eventide " + show(got[1]));
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static Object jdbcValue(ResultSet rs, Kind kind) throws Exception {
        Object v = switch (kind) {
            case NUMBER -> rs.getObject(1) == null ? null : rs.getLong(1);
            case FLOATING -> rs.getDouble(1);
            case DECIMAL -> rs.getBigDecimal(1);
            case OBJECT -> rs.getObject(1);
            case STRING -> rs.getString(1);
            case BYTES -> rs.getBytes(1);
            case DATE -> rs.getObject(1, LocalDate.class);
            case TIME -> rs.getObject(1, LocalTime.class);
            case TIMESTAMP -> rs.getObject(1, LocalDateTime.class);
            case TIMESTAMPTZ -> rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
            case ARRAY -> rs.getArray(1).getArray();
        };
        return rs.wasNull() ? null : v;
    }

    static boolean same(Object expected, Object got, Kind kind) {
        if (expected == null || got == null) {
            return expected == got;
        }
        return switch (kind) {
            case NUMBER -> ((Number) got).longValue() == (Long) expected && !(got instanceof Double);
            case FLOATING -> Double.compare(((Number) got).doubleValue(), (Double) expected) == 0
                    || (got instanceof Float f && f.doubleValue() == ((Double) expected).floatValue());
            case ARRAY -> sameArray(expected, got);
            default -> Objects.deepEquals(expected, got);
        };
    }

    private static boolean sameArray(Object expected, Object got) {
        if (!got.getClass().isArray() || Array.getLength(expected) != Array.getLength(got)) {
            return false;
        }
        for (int i = 0; i < Array.getLength(expected); i++) {
            Object e = Array.get(expected, i);
            Object g = Array.get(got, i);
            boolean ok;
            if (e == null || g == null) {
                ok = e == g;
            } else if (e.getClass().isArray()) {
                ok = sameArray(e, g);
            } else if (e instanceof java.sql.Date d) {
                ok = d.toLocalDate().equals(g);
            } else if (e instanceof Number n && g instanceof Number m && !(e instanceof BigDecimal)) {
                ok = Double.compare(n.doubleValue(), m.doubleValue()) == 0;
            } else {
                ok = Objects.deepEquals(e, g);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String show(Object v) {
        if (v != null && v.getClass().isArray()) {
            return v instanceof byte[] b ? Arrays.toString(b) : Arrays.deepToString(toObjects(v)) + " " + v.getClass().getSimpleName();
        }
        return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
    }

    private static Object[] toObjects(Object arr) {
        Object[] out = new Object[Array.getLength(arr)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.get(arr, i);
        }
        return out;
    }

    @Test
    void parametersOfEveryMappedTypeComeBackAsSent() {
        UUID u = UUID.randomUUID();
        OffsetDateTime odt = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_000, ZoneOffset.UTC);
        Object[] values = {(short) 7, 42, 1L << 40, 1.25f, Math.PI, true, u, new byte[] {0, -1, 7},
            LocalDate.of(2024, 2, 29), LocalTime.of(23, 59, 58, 999_999_000), LocalDateTime.of(2000, 1, 1, 0, 0, 1),
            odt, new BigDecimal("-12345.678900"), "text ☃", new Integer[] {1, null, 3}, new String[] {"a", null, "b,c"},
            new long[] {1, 2}, LocalDate.MAX, OffsetDateTime.MIN};
        for (int round = 0; round < 2; round++) {
            for (Object v : values) {
                Object back = pg.query("SELECT $1 AS v", v).join(WAIT).first().get(0);
                Object expected = v instanceof long[] l ? Arrays.stream(l).boxed().toArray(Long[]::new) : v;
                assertThat(back).as("round %d, %s", round, show(v)).satisfies(b -> assertThat(Objects.deepEquals(expected, b)
                        || (expected instanceof BigDecimal d && d.compareTo((BigDecimal) b) == 0)).isTrue());
            }
        }
        // An untyped String binds to whatever type the server infers.
        assertThat(pg.query("SELECT $1::date + 1", "2024-02-28").join(WAIT).first().get(0)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(pg.query("SELECT $1::jsonb ->> 'a'", "{\"a\": \"b\"}").join(WAIT).first().get(0)).isEqualTo("b");
        assertThat(pg.query("SELECT $1::int4 IS NULL", (Object) null).join(WAIT).first().get(0)).isEqualTo(true);
    }
}
