package dev.failover4j.samples.agent;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Skips the tests a {@link KnownIssue} names, unless {@code -Dfailover.knownIssues=true}. */
final class KnownIssueCondition implements ExecutionCondition {

    static final String PROPERTY = "failover.knownIssues";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        Optional<KnownIssue> issue = AnnotationSupport.findAnnotation(context.getTestClass(), KnownIssue.class);
        if (method.isEmpty() || issue.isEmpty() || !Arrays.asList(issue.get().tests()).contains(method.get().getName())) {
            return ConditionEvaluationResult.enabled("not a known issue");
        }
        if (Boolean.getBoolean(PROPERTY)) {
            return ConditionEvaluationResult.enabled("known issue, run on request: " + issue.get().reason());
        }
        return ConditionEvaluationResult.disabled("KNOWN LIBRARY ISSUE (run with -D" + PROPERTY + "=true to see it fail): "
                + issue.get().reason());
    }
}
