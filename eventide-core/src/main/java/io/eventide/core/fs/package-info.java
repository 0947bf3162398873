/**
 * Non-blocking files: {@link io.eventide.core.fs.FileSystem} (Node's {@code fs/promises}) runs each
 * blocking call on a dedicated, bounded {@link io.eventide.core.fs.FilePool} and settles its promise
 * on the caller's loop; {@link io.eventide.core.fs.FileReadStream} and
 * {@link io.eventide.core.fs.FileWriteStream} move big files through the loop's pooled buffers with
 * backpressure towards any {@link io.eventide.core.fs.ByteSink}; a
 * {@link io.eventide.core.fs.DirectoryWatcher} reports changes on the loop.
 */
package io.eventide.core.fs;
