package dev.failover4j.spring;

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
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, password required, started and stopped by
 * the test: {@code redis-server --bind 127.0.0.1 --port <port> --save '' --appendonly no --requirepass <password>}.
 * The same approach as {@code langchain4j-failover-redis}'s test helper (its test classes are not published).
 *
 * <p>When {@code redis-server} is not installed: under {@code CI=true} the test fails (CI must have installed it:
 * {@code .ci/run} does); elsewhere it is skipped with a loud message saying how to run it.
 */
final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final String password;
    private final Process process;

    private RedisServer(int port, String password) {
        this.port = port;
        this.password = password;
        try {
            process = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "",
                    "--appendonly", "no", "--protected-mode", "yes", "--requirepass", password)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    /** @return a server on a free port requiring {@code password}, started */
    static RedisServer start(String password) {
        requireInstalled();
        RedisServer server = new RedisServer(freePort(), password);
        server.awaitStarted();
        return server;
    }

    static void requireInstalled() {
        if (installed()) {
            return;
        }
        String message = "redis-server is not installed: the starter's fleet-mode test needs it. Run `bash .ci/run` "
                + "(installs it) or `apt-get install -y redis-server`.";
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

    /** @return {@code redis://:<password>@127.0.0.1:<port>} */
    String uri() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** @return what {@code redis-cli -p <port> args...} printed, authenticated (the password through the environment) */
    String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("REDISCLI_AUTH", password);
            Process p = builder.start();
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

    private void awaitStarted() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) { // bounded: at most START_TIMEOUT
            if (answers()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at once with " + process.exitValue() + " on port " + port);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        close();
        throw new IllegalStateException("redis-server did not answer on port " + port + " within " + START_TIMEOUT);
    }

    /** A PING without AUTH: a server requiring a password answers -NOAUTH, which shows it is up. */
    private boolean answers() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[16];
            int n = socket.getInputStream().read(reply);
            String text = n > 0 ? new String(reply, 0, n, StandardCharsets.US_ASCII) : "";
            return text.startsWith("+PONG") || text.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** @return a loopback port nothing listens on (just now) */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
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
