package dev.failover4j.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, for fleet-mode drills, benchmarks and
 * tests: started, killed, restarted on the same port, stopped — {@code redis-server --bind 127.0.0.1 --port <port>
 * --save '' --appendonly no} (nothing written to disk). Not thread-safe.
 */
public final class LocalRedisServer implements AutoCloseable {

    private final int port;
    private Process process;

    private LocalRedisServer(int port) {
        this.port = port;
    }

    /** @throws IllegalStateException when redis-server is not installed (run {@code bash .ci/run} or apt-get it) */
    public static LocalRedisServer start() {
        if (!installed()) {
            throw new IllegalStateException("redis-server is not installed: `apt-get install -y redis-server` (or `bash .ci/run`)");
        }
        LocalRedisServer redis = new LocalRedisServer(freePort());
        redis.restart();
        return redis;
    }

    /** @return whether {@code redis-server} is on the PATH (or in /usr/bin, /usr/sbin) */
    public static boolean installed() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, "redis-server").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** @return {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** (Re)starts it on its port and waits (at most 10 s) until it answers PING. */
    public void restart() {
        try {
            process = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "",
                    "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Kills it (SIGKILL), as a crash would; {@link #restart()} brings it back on the same port, empty. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = socket.getInputStream().read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
