package dev.failover4j.benchmarks.soak;

import dev.failover4j.FailoverTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The {@link SoakServers} child JVM seen from the soak: its base URLs, targets for them, and its totals. */
final class ServerProcess implements AutoCloseable {

    /** Where the child JVM's stderr goes. */
    static final Path ERRORS = Path.of(System.getProperty("java.io.tmpdir"), "soak-servers.err");

    private static final String ENDED = "the chaos-server JVM ended during the run; see ";

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String[] urls;

    ServerProcess() throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        // MockWebServer keeps every accepted socket (with an 8 KB okio segment) until it closes: about 2 GB
        // an hour at the soak's connection rate. The chaos servers get a heap that outlasts a 30-minute run.
        String heap = System.getProperty("soak.serverHeap", "6g");
        process = new ProcessBuilder(java, "-Xmx" + heap, "-cp", classpath, SoakServers.class.getName())
                .redirectError(ERRORS.toFile())
                .start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = out.readLine();
        if (line == null || !line.startsWith("urls ")) {
            throw new IOException("chaos servers did not start: " + line);
        }
        urls = line.substring(5).split(" ");
    }

    List<FailoverTarget> targets() {
        return targets(false);
    }

    /** @param tiered whether a is tier 0 and b and c share tier 1 (weights 3 and 1), for a routing strategy */
    List<FailoverTarget> targets(boolean tiered) {
        List<FailoverTarget> targets = new ArrayList<>();
        String[] names = {"a", "b", "c"};
        for (int i = 0; i < names.length; i++) {
            var target = FailoverTarget.openAiCompatible(names[i]).baseUrl(urls[i])
                    .apiKey("sk-soak-" + names[i] + "-0123456789abcdef").modelName("gpt-4o-mini")
                    .contextWindowTokens(128_000);
            if (tiered) {
                target.priority(i == 0 ? 0 : 1).weight(i == 1 ? 3 : 1);
            }
            targets.add(target.build());
        }
        return targets;
    }

    /** The chaos servers' totals, and the scheduled faults that never happened (see {@link SoakServers#SCHEDULED_FAULTS}). */
    record Stats(String text, List<String> missingFaults) {}

    /** @throws IOException when the child JVM is gone (its stderr names why) */
    Stats stats() throws IOException {
        in.println("stats");
        StringBuilder text = new StringBuilder();
        List<String> missing = List.of();
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("end")) {
                    return new Stats(text.toString().stripTrailing(), missing);
                }
                if (line.startsWith("missing")) {
                    missing = Stream.of(line.substring("missing".length()).trim().split(" ")).filter(s -> !s.isEmpty()).toList();
                } else {
                    text.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new IOException(ENDED + ERRORS, e);
        }
        throw new IOException(ENDED + ERRORS);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Ends the child JVM at once (and waits for it): what a crash looks like to the soak. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroy();
        }
    }
}
