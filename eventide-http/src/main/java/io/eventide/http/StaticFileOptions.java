package io.eventide.http;

import java.time.Duration;

/**
 * Settings of {@link StaticFiles}. Start from {@link #defaults()}:
 * {@code StaticFileOptions.defaults().maxAge(Duration.ofDays(365)).immutable(true)} for
 * fingerprinted assets ({@code app.3f9a2c.js}).
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>effect</th></tr>
 *   <tr><td>indexFile</td><td>{@value #DEFAULT_INDEX_FILE}</td><td>served for a directory; null: 404</td></tr>
 *   <tr><td>maxAge</td><td>0</td><td>{@code Cache-Control: public, max-age=0}: caches keep the
 *       file but revalidate it every time, a cheap 304 while it is unchanged</td></tr>
 *   <tr><td>immutable</td><td>false</td><td>adds {@code immutable} (RFC 8246): no revalidation on reload</td></tr>
 *   <tr><td>dotfiles</td><td>false</td><td>names starting with a dot ({@code .env}, {@code .git}) answer 404</td></tr>
 *   <tr><td>redirectDirectories</td><td>true</td><td>{@code /docs} answers 301 to {@code /docs/}</td></tr>
 * </table>
 *
 * <p><b>Threading:</b> immutable value; any thread.
 *
 * @param indexFile file name served for a directory, or null for none
 * @param maxAge freshness lifetime sent in {@code Cache-Control}, or null to send no Cache-Control
 * @param immutable whether to add the {@code immutable} directive
 * @param dotfiles whether files and directories whose name starts with a dot are served
 * @param redirectDirectories whether a directory requested without a trailing slash is redirected
 */
public record StaticFileOptions(String indexFile, Duration maxAge, boolean immutable, boolean dotfiles,
        boolean redirectDirectories) {

    /** Default index file name. */
    public static final String DEFAULT_INDEX_FILE = "index.html";

    /** Validates the settings. */
    public StaticFileOptions {
        if (indexFile != null && (indexFile.isEmpty() || indexFile.contains("/") || indexFile.contains("\\")
                || indexFile.equals("..") || indexFile.equals("."))) {
            throw new IllegalArgumentException("indexFile must be a plain file name: " + indexFile);
        }
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be >= 0: " + maxAge);
        }
    }

    /** @return the defaults (see the table above) */
    public static StaticFileOptions defaults() {
        return new StaticFileOptions(DEFAULT_INDEX_FILE, Duration.ZERO, false, false, true);
    }

    /** @param name index file name, null for none @return a copy with it */
    public StaticFileOptions indexFile(String name) {
        return new StaticFileOptions(name, maxAge, immutable, dotfiles, redirectDirectories);
    }

    /** @param age freshness lifetime, null for no Cache-Control header @return a copy with it */
    public StaticFileOptions maxAge(Duration age) {
        return new StaticFileOptions(indexFile, age, immutable, dotfiles, redirectDirectories);
    }

    /** @param on whether to send {@code immutable} @return a copy with it */
    public StaticFileOptions immutable(boolean on) {
        return new StaticFileOptions(indexFile, maxAge, on, dotfiles, redirectDirectories);
    }

    /** @param allow whether dotfiles are served @return a copy with it */
    public StaticFileOptions dotfiles(boolean allow) {
        return new StaticFileOptions(indexFile, maxAge, immutable, allow, redirectDirectories);
    }

    /** @param on whether to redirect directories to their slash form @return a copy with it */
    public StaticFileOptions redirectDirectories(boolean on) {
        return new StaticFileOptions(indexFile, maxAge, immutable, dotfiles, on);
    }

    /** @return the {@code Cache-Control} value these settings produce, or null for none */
    public String cacheControl() {
        if (maxAge == null) {
            return null;
        }
        return "public, max-age=" + maxAge.toSeconds() + (immutable ? ", immutable" : "");
    }
}
