package io.eventide.lab.driver;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * An incremental HTTP/1.1 response parser for load drivers: it finds where each response ends
 * ({@code Content-Length}, chunked, or connection close) and reports its status, without keeping
 * bodies. Bytes may arrive split anywhere; several responses may arrive in one read.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th></tr>
 *   <tr><td>status line, header line or chunk-size line</td><td>{@value #MAX_LINE} bytes</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> confined to the thread that reads the connection.
 */
public final class ResponseParser {
    /** Longest line accepted. */
    public static final int MAX_LINE = 8192;

    /** Receives each complete response, on the parsing thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param status the status code
         * @param close whether the server will close the connection after it
         */
        void onResponse(int status, boolean close);
    }

    private enum State { STATUS, HEADERS, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE }

    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private State state = State.STATUS;
    private int status;
    private boolean close;
    private boolean chunked;
    private long length;
    private long remaining;
    private boolean http10;

    /** Creates a parser waiting for a status line. */
    public ResponseParser() {
    }

    /**
     * Consumes every byte of {@code in}, reporting each response that completes.
     *
     * @param in bytes read from the connection
     * @param listener receives complete responses
     * @throws ProtocolException when the bytes are not an HTTP/1.x response
     */
    public void feed(ByteBuffer in, Listener listener) throws ProtocolException {
        while (in.hasRemaining()) {
            switch (state) {
                case FIXED, CHUNK_DATA -> skipBody(in, listener);
                case UNTIL_CLOSE -> in.position(in.limit());
                default -> {
                    if (readLine(in)) {
                        onLine(listener);
                    }
                }
            }
        }
    }

    /**
     * The connection reached end of stream: completes a response delimited by the close.
     *
     * @param listener receives that response
     * @return false when a response was cut short (the server closed mid-response)
     */
    public boolean onEof(Listener listener) {
        if (state == State.UNTIL_CLOSE) {
            reset();
            listener.onResponse(status, true);
            return true;
        }
        return state == State.STATUS && lineLength == 0;
    }

    /** @return whether no response is partially read */
    public boolean isIdle() {
        return state == State.STATUS && lineLength == 0;
    }

    private void skipBody(ByteBuffer in, Listener listener) {
        int n = (int) Math.min(remaining, in.remaining());
        in.position(in.position() + n);
        remaining -= n;
        if (remaining == 0) {
            if (state == State.FIXED) {
                complete(listener);
            } else {
                state = State.CHUNK_END;
            }
        }
    }

    private boolean readLine(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            if (lineLength == MAX_LINE) {
                throw new ProtocolException("response line longer than " + MAX_LINE + " bytes");
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private void onLine(Listener listener) throws ProtocolException {
        int n = lineLength;
        lineLength = 0;
        switch (state) {
            case STATUS -> statusLine(n);
            case HEADERS -> {
                if (n == 0) {
                    endOfHead(listener);
                } else {
                    header(n);
                }
            }
            case CHUNK_SIZE -> chunkSize(n);
            case CHUNK_END -> {
                if (n != 0) {
                    throw new ProtocolException("chunk data not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (n == 0) {
                    complete(listener);
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void statusLine(int n) throws ProtocolException {
        if (n == 0) {
            return; // tolerate a stray CRLF between responses
        }
        if (n < 12 || !startsWith("HTTP/1.", n) || line[8] != ' ') {
            throw new ProtocolException("not an HTTP/1.x status line");
        }
        http10 = line[7] == '0';
        status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        if (status < 100 || status > 999) {
            throw new ProtocolException("bad status code");
        }
        close = http10;
        chunked = false;
        length = -1;
        state = State.HEADERS;
    }

    private void header(int n) throws ProtocolException {
        int colon = 0;
        while (colon < n && line[colon] != ':') {
            colon++;
        }
        if (colon == n) {
            throw new ProtocolException("header line without a colon");
        }
        int v = colon + 1;
        while (v < n && (line[v] == ' ' || line[v] == '\t')) {
            v++;
        }
        int end = n;
        while (end > v && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (nameIs("content-length", colon)) {
            length = parseDecimal(v, end);
        } else if (nameIs("transfer-encoding", colon)) {
            chunked = valueContains("chunked", v, end);
        } else if (nameIs("connection", colon)) {
            if (valueContains("close", v, end)) {
                close = true;
            } else if (valueContains("keep-alive", v, end)) {
                close = false;
            }
        }
    }

    private void endOfHead(Listener listener) {
        if (status >= 100 && status < 200) {
            state = State.STATUS; // an interim response (100 Continue): the real one follows
        } else if (status == 204 || status == 304) {
            complete(listener);
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (length >= 0) {
            remaining = length;
            state = State.FIXED;
            if (remaining == 0) {
                complete(listener);
            }
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private void chunkSize(int n) throws ProtocolException {
        long size = 0;
        int i = 0;
        for (; i < n && line[i] != ';' && line[i] != ' '; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0 || size > (Long.MAX_VALUE >> 4)) {
                throw new ProtocolException("bad chunk size");
            }
            size = size * 16 + d;
        }
        if (i == 0) {
            throw new ProtocolException("empty chunk size");
        }
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private void complete(Listener listener) {
        boolean c = close;
        int s = status;
        reset();
        listener.onResponse(s, c);
    }

    private void reset() {
        state = State.STATUS;
        lineLength = 0;
        remaining = 0;
    }

    private boolean startsWith(String prefix, int n) {
        if (n < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean nameIs(String lowerName, int nameLength) {
        if (nameLength != lowerName.length()) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (Character.toLowerCase((char) line[i]) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean valueContains(String lowerToken, int from, int to) {
        int m = lowerToken.length();
        for (int i = from; i + m <= to; i++) {
            int j = 0;
            while (j < m && Character.toLowerCase((char) line[i + j]) == lowerToken.charAt(j)) {
                j++;
            }
            if (j == m) {
                return true;
            }
        }
        return false;
    }

    private long parseDecimal(int from, int to) throws ProtocolException {
        if (from == to || to - from > 18) {
            throw new ProtocolException("bad Content-Length");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                throw new ProtocolException("bad Content-Length");
            }
            v = v * 10 + d;
        }
        return v;
    }
}
