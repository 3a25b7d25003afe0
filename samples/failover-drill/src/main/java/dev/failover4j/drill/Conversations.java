package dev.failover4j.drill;

import java.util.List;
import java.util.Random;

/**
 * The drill's scripted content: what each kind of simulated user says, the long documents some of
 * them paste, and the simulated providers' answers. Deterministic for a given {@link Random}.
 * Stateless and thread-safe.
 */
public final class Conversations {

    /** What a simulated user does, and so how large its conversation grows. */
    public enum Persona {
        /** Pastes two long reports (~4,000 tokens each) and asks about them: needs fitting on an 8k window. */
        DOCUMENTS(10, "You are an analyst. Answer questions about the documents the user pastes. Quote sections by number."),
        /** Short customer-support questions. */
        SUPPORT(12, "You are the support assistant of Acme Cloud. Be brief, friendly and precise; never invent prices."),
        /** Pastes code snippets and asks for reviews. */
        CODE(8, "You are a senior Java reviewer. Point out bugs first, then style. Keep answers short.");

        private final int turns;
        private final String systemPrompt;

        Persona(int turns, String systemPrompt) {
            this.turns = turns;
            this.systemPrompt = systemPrompt;
        }

        /** @return how many user turns a conversation has before the user starts a new one */
        public int turns() {
            return turns;
        }

        public String systemPrompt() {
            return systemPrompt;
        }

        /** @return user {@code index}'s persona: documents, support, code, documents, ... */
        public static Persona forUser(int index) {
            return values()[index % values().length];
        }
    }

    /** Approximate size of one pasted document. */
    static final int DOCUMENT_TOKENS = 4_000;

    private static final List<String> SUPPORT_QUESTIONS = List.of(
            "Hi, my deployment has been stuck in 'pending' for ten minutes. What should I check first?",
            "How do I rotate the API key of a service account without downtime?",
            "Is there a way to get an invoice per project instead of one per organisation?",
            "Our webhook receives every event twice since yesterday. Is that expected?",
            "Can I move a database from eu-west to eu-central, and how long is the read-only window?",
            "What's the difference between the Standard and Burst instance types for a small API?",
            "The CLI says 'token expired' right after I log in. Clock skew?",
            "Can I cap monthly spend so that a runaway job cannot exceed 200 euros?",
            "Thanks. And if the cap is reached, are running instances stopped or only new ones blocked?",
            "How do I export audit logs to our own S3 bucket?",
            "Our status page shows green but requests to the API time out from Singapore. Anything known?",
            "Last one: is there an SLA credit if the outage lasted 40 minutes?");

    private static final List<String> CODE_SNIPPETS = List.of(
            "public Optional<User> find(String id) {\n    User u = cache.get(id);\n    if (u == null) u = repo.load(id);\n"
                    + "    cache.put(id, u);\n    return Optional.of(u);\n}",
            "for (int i = 0; i <= items.size(); i++) {\n    total += items.get(i).price() * items.get(i).quantity();\n}",
            "synchronized (this) {\n    if (connection == null) connection = pool.open();\n}\nreturn connection.query(sql + userInput);",
            "String json = new String(Files.readAllBytes(path));\nMap<String, Object> map = mapper.readValue(json, Map.class);\n"
                    + "return (List<String>) map.get(\"tags\");",
            "executor.submit(() -> {\n    try { process(batch); } catch (Exception e) { }\n});",
            "if (response.code() == 429) {\n    Thread.sleep(1000);\n    return call(request);\n}");

    private static final List<String> CODE_ASKS = List.of(
            "Can you review this?", "Anything wrong here?", "Is this thread-safe?", "How would you test this?",
            "Would you merge this as is?", "What would you rename?");

    private static final List<String> DOCUMENT_QUESTIONS = List.of(
            "What was the root cause, in two sentences?",
            "Which teams were paged, and when?",
            "List the action items with their owners.",
            "Was customer data affected at any point?",
            "What would have shortened the time to mitigation?",
            "Which of the findings repeat from the earlier report?",
            "Summarise the timeline as five bullet points.",
            "Draft a short note to customers based on both reports.");

    private static final List<String> ANSWERS = List.of(
            "Start with the event log of the resource: a pending state usually means the scheduler could not place it. "
                    + "Check the quota page, then the region's capacity banner; if both are fine, redeploy with a smaller size.",
            "Short version: the failure starts where a retry loop meets a dependency that is already overloaded. "
                    + "Each client multiplies its load until the breaker opens, and recovery waits for the slowest queue to drain.",
            "Yes. Create the new credential first, deploy it everywhere, watch the old one's last-used timestamp reach zero "
                    + "traffic, and only then revoke it. That order keeps every request authenticated during the switch.",
            "Three things stand out: the null path is cached, the index is off by one, and an exception is swallowed. "
                    + "I would fix those before looking at naming, and add a test that fails on each of them.",
            "According to section 4, the on-call engineer was paged after eleven minutes, the database team after "
                    + "twenty-six, and the incident commander declared a major incident at minute thirty-one.",
            "The action items are: add a breaker on the payment client (platform team), alert on queue age rather than "
                    + "depth (observability), and rehearse the failover quarterly (SRE), each due before the next release.");

    private static final String[] SUBJECTS = {"The primary database", "The payment gateway", "Our ingestion service",
            "The load balancer in zone b", "The on-call engineer", "The retry policy", "The cache cluster",
            "A misconfigured feature flag", "The certificate rotation job", "The nightly batch", "Customer traffic",
            "The incident commander", "The vendor's status page", "The rollback script"};
    private static final String[] VERBS = {"stopped accepting", "began rejecting", "silently dropped", "doubled",
            "retried", "delayed", "recovered", "throttled", "misrouted", "duplicated", "queued", "timed out on"};
    private static final String[] OBJECTS = {"write requests from the checkout flow", "connections from the EU region",
            "about a third of the API calls", "the settlement messages", "every request with a large payload",
            "the health checks of the standby", "the webhook deliveries", "the background reindexing work",
            "login attempts from mobile clients", "the export jobs scheduled after midnight"};
    private static final String[] CLAUSES = {"which nobody noticed for several minutes",
            "because the alert threshold was set on averages", "while the dashboards still showed green",
            "after the deployment at 14:02 UTC", "until the breaker finally opened",
            "as the queue kept growing by roughly four thousand items per minute",
            "even though the runbook described a manual workaround", "and the error budget for the month was spent",
            "so the team decided to fail over to the secondary region", "which matched the pattern seen in March"};

    private Conversations() {
    }

    /** @return a support question for the given turn */
    public static String supportQuestion(int turn) {
        return SUPPORT_QUESTIONS.get(turn % SUPPORT_QUESTIONS.size());
    }

    /** @return a code snippet with a review request */
    public static String codeReview(Random random) {
        return CODE_ASKS.get(random.nextInt(CODE_ASKS.size())) + "\n\n```java\n"
                + CODE_SNIPPETS.get(random.nextInt(CODE_SNIPPETS.size())) + "\n```";
    }

    /** @return a question about the pasted documents */
    public static String documentQuestion(Random random) {
        return DOCUMENT_QUESTIONS.get(random.nextInt(DOCUMENT_QUESTIONS.size()));
    }

    /** @return an incident report of about {@value #DOCUMENT_TOKENS} tokens, with numbered sections */
    public static String document(String title, Random random) {
        StringBuilder text = new StringBuilder(DOCUMENT_TOKENS * 5).append("# ").append(title).append("\n\n");
        int section = 1;
        // About 21 tokens per sentence with o200k: 190 sentences make ~4,000 tokens.
        for (int sentence = 0; sentence < 190; sentence++) {
            if (sentence % 12 == 0) {
                text.append("\n## ").append(section++).append(". ").append(pick(SUBJECTS, random)).append("\n\n");
            }
            text.append(pick(SUBJECTS, random)).append(' ').append(pick(VERBS, random)).append(' ')
                    .append(pick(OBJECTS, random)).append(", ").append(pick(CLAUSES, random)).append(". ");
        }
        return text.toString();
    }

    /** @return a simulated provider's answer: its name, then a canned paragraph chosen by the question */
    public static String answer(String provider, String question) {
        String q = question == null ? "" : question;
        return "[" + provider + "] " + ANSWERS.get(Math.floorMod(q.hashCode(), ANSWERS.size()));
    }

    private static String pick(String[] options, Random random) {
        return options[random.nextInt(options.length)];
    }
}
