package dev.failover4j.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny keep-alive HTTP/1.1 server on loopback that answers every request with {@link
 * LoopbackOpenAi#OK_BODY}, writing status line, headers and body in <em>one</em> {@code write} with
 * {@code TCP_NODELAY}. MockWebServer writes headers and body separately, which on loopback meets the
 * peer's delayed ACK and costs ~40 ms per call; this server has no such floor, so the client's own
 * cost becomes visible. Not a general HTTP server: no chunked requests, no pipelining.
 */
public final class RawOpenAi implements AutoCloseable {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + LoopbackOpenAi.OK_BODY.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + LoopbackOpenAi.OK_BODY)
            .getBytes(StandardCharsets.UTF_8);

    private final ServerSocket serverSocket;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "raw-openai");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong requests = new AtomicLong();

    RawOpenAi() {
        try {
            serverSocket = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connections.execute(this::acceptLoop);
    }

    /**
     * Runs the server on its own, so a driver in another process (pinned to other CPUs with {@code taskset})
     * does not share its cores: prints the base URL, stops after {@code minutes} (default 15).
     */
    public static void main(String[] args) throws InterruptedException {
        long minutes = args.length > 0 ? Long.parseLong(args[0]) : 15;
        try (RawOpenAi server = new RawOpenAi()) {
            System.out.println(server.baseUrl());
            Thread.sleep(java.time.Duration.ofMinutes(minutes).toMillis());
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + serverSocket.getLocalPort() + "/v1";
    }

    long requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (true) {
                int contentLength = readHeaders(in);
                if (contentLength < 0) {
                    return; // end of stream
                }
                in.skipNBytes(contentLength);
                requests.incrementAndGet();
                out.write(RESPONSE);
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** @return the request's Content-Length (0 if none), or -1 at end of stream */
    private static int readHeaders(InputStream in) throws IOException {
        int contentLength = 0;
        StringBuilder line = new StringBuilder();
        boolean any = false;
        for (int c; (c = in.read()) != -1; ) {
            any = true;
            if (c == '\n') {
                String header = line.toString().trim();
                if (header.isEmpty()) {
                    return contentLength;
                }
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(header.substring(15).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        if (any) {
            throw new IOException("request cut");
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.shutdownNow();
    }
}
