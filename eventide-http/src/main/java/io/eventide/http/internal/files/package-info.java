/**
 * The parts of {@link io.eventide.http.StaticFiles}: path checks that run on the loop
 * ({@link io.eventide.http.internal.files.SafePaths}), the blocking lookup that runs on a worker
 * ({@link io.eventide.http.internal.files.FileLookup}), and pure helpers for media types, byte
 * ranges and validators. Not an API: exported to nothing outside {@code eventide-http}.
 */
package io.eventide.http.internal.files;
