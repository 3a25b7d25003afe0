package dev.failover4j.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, started and stopped by the test:
 * {@code redis-server --bind 127.0.0.1 --port <port> --save '' --appendonly no}. It can be killed and restarted on
 * the same port, paused (SIGSTOP) and resumed, and filled ({@code maxmemory} with {@code noeviction}).
 *
 * <p>When {@code redis-server} is not installed: under {@code CI=true} the test fails (CI must have installed it:
 * {@code .ci/run} does); elsewhere it is skipped with a loud message saying how to run it.
 */
final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    /** @return a server on a free port, started */
    static RedisServer start() {
        requireInstalled();
        RedisServer server = new RedisServer(freePort());
        server.launch();
        return server;
    }

    /** @return a server that will run on a free port but is not started (Redis unreachable until {@link #restart()}) */
    static RedisServer notStarted() {
        requireInstalled();
        return new RedisServer(freePort());
    }

    static void requireInstalled() {
        if (installed()) {
            return;
        }
        String message = "redis-server is not installed: the fleet-mode tests need it. Run `bash .ci/run` (installs it) "
                + "or `apt-get install -y redis-server`.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: failing instead of skipping)");
        }
        System.err.println("\n*** SKIPPED: " + message + " ***\n");
        Assumptions.abort(message);
    }

    private static boolean installed() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/bin:/usr/sbin").split(File.pathSeparator)) {
            if (new File(dir, "redis-server").canExecute()) {
                return true;
            }
        }
        return false;
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it again on the same port (after {@link #kill()}, or for the first time after {@link #notStarted()}). */
    void restart() {
        launch();
    }

    /** SIGKILL: no goodbye to the clients. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: connections stay open, nothing answers. */
    void pause() {
        signal("-STOP");
    }

    /** SIGCONT. */
    void resume() {
        signal("-CONT");
    }

    /** @return what {@code redis-cli -p <port> args...} printed */
    String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return run(command);
    }

    private void launch() {
        try {
            process = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "",
                    "--appendonly", "no", "--protected-mode", "yes")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) { // bounded: at most START_TIMEOUT
            if (answersPing()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at once with " + process.exitValue() + " on port " + port);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + START_TIMEOUT);
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

    private void signal(String signal) {
        run(List.of("kill", signal, String.valueOf(process.pid())));
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 10 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
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
            resume(); // a paused server would not die of SIGTERM
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

    @Override
    public String toString() {
        return "redis-server on 127.0.0.1:" + port;
    }
}
