package io.eventide.http.internal.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Incremental gzip (RFC 1952) of a response body: a raw-deflate stream between the 10-byte gzip
 * header and the CRC-32/size trailer. Deflaters hold native memory, so they are pooled per loop and
 * always returned ({@link #release()}), also when the connection dies mid-response.
 *
 * <p><b>Threading:</b> loop-confined.
 */
final class GzipStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    /** Per-loop pool of deflaters (level 6, raw). */
    static final class Pool {
        private final ArrayDeque<Deflater> free = new ArrayDeque<>();

        Deflater acquire() {
            Deflater d = free.poll();
            return d != null ? d : new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }

        void release(Deflater d) {
            d.reset();
            if (free.size() < 16) {
                free.push(d);
            } else {
                d.end();
            }
        }
    }

    private final Pool pool;
    private Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[16 * 1024];
    private boolean headerSent;
    private long size;

    GzipStream(Pool pool) {
        this.pool = pool;
        this.deflater = pool.acquire();
    }

    /**
     * Compresses {@code in} (fully consumed) and returns what the deflater produced so far; with
     * {@code finish} also the end of the stream and the trailer.
     */
    ByteBuffer encode(ByteBuffer in, boolean finish) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(64, in.remaining() / 3));
        if (!headerSent) {
            out.write(HEADER, 0, HEADER.length);
            headerSent = true;
        }
        size += in.remaining();
        ByteBuffer dup = in.duplicate();
        crc.update(dup);
        deflater.setInput(in);
        while (!deflater.needsInput()) {
            int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
            out.write(buf, 0, n);
        }
        if (finish) {
            deflater.finish();
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
            writeIntLe(out, (int) crc.getValue());
            writeIntLe(out, (int) size);
            release();
        } else {
            // Sync flush so a streamed response (SSE-like) reaches the client without waiting.
            int n;
            while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
                out.write(buf, 0, n);
            }
        }
        in.position(in.limit());
        return ByteBuffer.wrap(out.toByteArray());
    }

    private static void writeIntLe(java.io.ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    void release() {
        if (deflater != null) {
            pool.release(deflater);
            deflater = null;
        }
    }

    /** Whether a response of this type is worth compressing. */
    static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("text/event-stream")) {
            return false; // a long-lived stream would pin a Deflater per client; events are small
        }
        return t.startsWith("text/") || t.contains("json") || t.contains("javascript") || t.contains("xml")
                || t.contains("svg");
    }

    private static boolean isZero(String q) {
        try {
            return Double.parseDouble(q) == 0;
        } catch (NumberFormatException e) {
            return true; // a malformed weight: do not guess in the client's favour
        }
    }

    /** Whether the client accepts gzip (RFC 9110 §12.5.3), honouring {@code q=0}. */
    static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            String coding = p[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
                for (int i = 1; i < p.length; i++) {
                    String q = p[i].trim().replace(" ", "");
                    if (q.startsWith("q=") && isZero(q.substring(2))) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
