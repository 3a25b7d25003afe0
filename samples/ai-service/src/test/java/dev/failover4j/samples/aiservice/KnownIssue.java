package dev.failover4j.samples.aiservice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests (by method name, so inherited contract tests can be named too) that fail because of a
 * known issue in the library. They are skipped, with the reason, unless the build runs with
 * {@code -Dfailover.knownIssues=true}, which shows them failing:
 * {@code mvn -B -pl samples/ai-service test -Dfailover.knownIssues=true}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KnownIssueCondition.class)
@interface KnownIssue {

    /** Names of the test methods that fail. */
    String[] tests();

    /** What is wrong in the library, precisely. */
    String reason();
}
