package io.eventide.cluster.internal;

/**
 * One rolling reload: the slots are replaced one at a time (see {@link Supervisor} for the steps),
 * so at most one extra worker runs and capacity never drops below N ready workers. A replacement
 * that fails (exits, or is killed at the ready timeout) ends the reload as failed: the workers not
 * yet replaced keep serving with the old code. Progress goes to the requester ({@code eventide
 * cluster reload} prints it; its exit status says whether the reload completed) and to the log.
 *
 * <p><b>Threading:</b> confined to the supervisor thread.
 */
final class RollingReload {
    private final Supervisor sup;
    private final Slot[] slots;
    private final Peer requester;
    private final Logs logs;
    private final long startedNanos = System.nanoTime();
    private int index;
    /** The new worker of the current slot, until it is ready. */
    private Worker fresh;
    /** The old worker of the current slot, until it has exited. */
    private Worker old;
    private boolean done;

    RollingReload(Supervisor sup, Slot[] slots, Peer requester, Logs logs) {
        this.sup = sup;
        this.slots = slots;
        this.requester = requester;
        this.logs = logs;
        say("reloading " + slots.length + " worker" + (slots.length == 1 ? "" : "s") + " one by one");
    }

    /** Starts the next slot's replacement, or finishes. */
    void next() {
        if (done) {
            return;
        }
        if (index == slots.length) {
            finish("ok reloaded " + slots.length + " worker" + (slots.length == 1 ? "" : "s") + " in "
                    + String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9));
            return;
        }
        Slot s = slots[index];
        if (s.next != null) {
            return; // a memory replacement is under way: wait for it, then replace again (onReady/onExit)
        }
        sup.cancelRestart(s);
        fresh = sup.spawn(s, true);
        if (fresh == null) {
            finish("failed could not start a new worker " + s.index);
        }
    }

    void onReady(Slot s, Worker w, Worker previous) {
        if (done || s != slots[index]) {
            return;
        }
        if (w != fresh) {
            next(); // a memory replacement finished: now start ours
            return;
        }
        fresh = null;
        if (previous == null || !previous.alive()) {
            say("worker " + s.index + ": new pid " + w.pid + " ready; no old worker to drain");
            index++;
            next();
        } else {
            old = previous;
            say("worker " + s.index + ": new pid " + w.pid + " ready; old pid " + previous.pid + " draining");
        }
    }

    void onExit(Slot s, Worker w) {
        if (done || s != slots[index]) {
            return;
        }
        if (w == fresh) {
            fresh = null;
            finish("failed the new worker " + s.index + " (pid " + w.pid + ") exited with status " + w.exitCode
                    + " before it was ready; workers not yet replaced keep serving (see its log)");
        } else if (w == old) {
            say("worker " + s.index + ": old pid " + w.pid + " exited with status " + w.exitCode);
            old = null;
            index++;
            next();
        } else if (fresh == null && old == null) {
            next(); // a memory replacement failed: start ours
        }
    }

    void abort(String why) {
        finish("failed " + why);
    }

    private void say(String line) {
        logs.event(null, "reload: " + line);
        if (requester != null) {
            requester.say(line);
        }
    }

    private void finish(String line) {
        if (done) {
            return;
        }
        done = true;
        say(line);
        if (requester != null) {
            requester.close();
        }
        sup.reloadDone();
    }
}
