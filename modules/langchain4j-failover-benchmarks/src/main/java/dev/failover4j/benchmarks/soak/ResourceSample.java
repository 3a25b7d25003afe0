package dev.failover4j.benchmarks.soak;

import java.io.File;
import java.lang.management.ManagementFactory;

/**
 * One look at the client JVM after a full GC: heap in use, live threads (and any named
 * MockWebServer, which would be chaos servers in this JVM), open file descriptors (sockets
 * included; Linux only, -1 elsewhere).
 */
record ResourceSample(long elapsedSeconds, long heapAfterGcBytes, int threads, int serverThreads, int openFds,
                      long calls) {

    static ResourceSample take(long elapsedSeconds, long calls) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int serverThreads = 0;
        int threads = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            threads++;
            if (thread.getName().startsWith("MockWebServer")) {
                serverThreads++;
            }
        }
        String[] fds = new File("/proc/self/fd").list();
        return new ResourceSample(elapsedSeconds, heap, threads, serverThreads, fds == null ? -1 : fds.length, calls);
    }

    int clientThreads() {
        return threads - serverThreads;
    }

    @Override
    public String toString() {
        return String.format("t=%5ds calls=%8d heapAfterGc=%6.1f MB threads=%4d (not MockWebServer %4d, MockWebServer %4d) fds=%5d",
                elapsedSeconds, calls, heapAfterGcBytes / 1e6, threads, clientThreads(), serverThreads, openFds);
    }
}
