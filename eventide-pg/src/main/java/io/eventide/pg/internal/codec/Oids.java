package io.eventide.pg.internal.codec;

/** Type OIDs of the built-in types the codecs know (from {@code pg_type.dat}). *
 * <p><b>Threading:</b> constants; any thread.
 */
public final class Oids {
    public static final int UNSPECIFIED = 0;
    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int CHAR = 18;
    public static final int NAME = 19;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int OID = 26;
    public static final int JSON = 114;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIME = 1083;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int NUMERIC = 1700;
    public static final int UUID = 2950;
    public static final int JSONB = 3802;

    public static final int BOOL_ARRAY = 1000;
    public static final int BYTEA_ARRAY = 1001;
    public static final int INT2_ARRAY = 1005;
    public static final int INT4_ARRAY = 1007;
    public static final int TEXT_ARRAY = 1009;
    public static final int BPCHAR_ARRAY = 1014;
    public static final int VARCHAR_ARRAY = 1015;
    public static final int INT8_ARRAY = 1016;
    public static final int FLOAT4_ARRAY = 1021;
    public static final int FLOAT8_ARRAY = 1022;
    public static final int TIMESTAMP_ARRAY = 1115;
    public static final int DATE_ARRAY = 1182;
    public static final int TIMESTAMPTZ_ARRAY = 1185;
    public static final int NUMERIC_ARRAY = 1231;
    public static final int UUID_ARRAY = 2951;
    public static final int JSON_ARRAY = 199;
    public static final int JSONB_ARRAY = 3807;

    private Oids() {
    }

    /**
     * @param arrayOid an array type's OID
     * @return its element type's OID, or 0 when the array type is not one the codecs know
     */
    public static int elementOf(int arrayOid) {
        return switch (arrayOid) {
            case BOOL_ARRAY -> BOOL;
            case BYTEA_ARRAY -> BYTEA;
            case INT2_ARRAY -> INT2;
            case INT4_ARRAY -> INT4;
            case TEXT_ARRAY -> TEXT;
            case BPCHAR_ARRAY -> BPCHAR;
            case VARCHAR_ARRAY -> VARCHAR;
            case INT8_ARRAY -> INT8;
            case FLOAT4_ARRAY -> FLOAT4;
            case FLOAT8_ARRAY -> FLOAT8;
            case TIMESTAMP_ARRAY -> TIMESTAMP;
            case DATE_ARRAY -> DATE;
            case TIMESTAMPTZ_ARRAY -> TIMESTAMPTZ;
            case NUMERIC_ARRAY -> NUMERIC;
            case UUID_ARRAY -> UUID;
            case JSON_ARRAY -> JSON;
            case JSONB_ARRAY -> JSONB;
            default -> 0;
        };
    }

    /** @param elementOid an element type @return the OID of its array type, or 0 if unknown */
    public static int arrayOf(int elementOid) {
        return switch (elementOid) {
            case BOOL -> BOOL_ARRAY;
            case BYTEA -> BYTEA_ARRAY;
            case INT2 -> INT2_ARRAY;
            case INT4 -> INT4_ARRAY;
            case TEXT -> TEXT_ARRAY;
            case VARCHAR -> VARCHAR_ARRAY;
            case INT8 -> INT8_ARRAY;
            case FLOAT4 -> FLOAT4_ARRAY;
            case FLOAT8 -> FLOAT8_ARRAY;
            case TIMESTAMP -> TIMESTAMP_ARRAY;
            case DATE -> DATE_ARRAY;
            case TIMESTAMPTZ -> TIMESTAMPTZ_ARRAY;
            case NUMERIC -> NUMERIC_ARRAY;
            case UUID -> UUID_ARRAY;
            default -> 0;
        };
    }

    /** @param oid a type @return whether results of that type are asked for in binary */
    public static boolean binaryResult(int oid) {
        return switch (oid) {
            case BOOL, BYTEA, CHAR, NAME, INT8, INT2, INT4, TEXT, OID, JSON, FLOAT4, FLOAT8, BPCHAR, VARCHAR, DATE, TIME,
                    TIMESTAMP, TIMESTAMPTZ, NUMERIC, UUID, JSONB -> true;
            default -> elementOf(oid) != 0;
        };
    }
}
