package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.dropConnection;
import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Settings given in any order combine: a later call changes only what it names, nothing vanishes. */
class BuilderOrderTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        primary.start();
        backup.start();
    }

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
    }

    @Test
    void should_keep_an_attempt_timeout_when_a_config_naming_other_settings_comes_after_it() {
        // when
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("p", primary))
                .attemptTimeout(Duration.ofSeconds(3))
                .config(FailoverConfig.builder().maxRetries(0).build())
                .build();
        // then
        assertThat(model.config().attemptTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(model.config().maxRetries()).isZero();
    }

    @Test
    void should_let_the_later_call_win_when_both_name_the_same_setting() {
        // when
        FailoverChatLanguageModel configLast = FailoverChatLanguageModel.builder().targets(target("p", primary))
                .attemptTimeout(Duration.ofSeconds(3))
                .config(FailoverConfig.builder().attemptTimeout(Duration.ofSeconds(7)).build())
                .build();
        FailoverChatLanguageModel setterLast = FailoverChatLanguageModel.builder().targets(target("p", primary))
                .config(FailoverConfig.builder().attemptTimeout(Duration.ofSeconds(7)).deadline(Duration.ofSeconds(20)).build())
                .attemptTimeout(Duration.ofSeconds(3))
                .build();
        // then
        assertThat(configLast.config().attemptTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(setterLast.config().attemptTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(setterLast.config().deadline()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void should_combine_two_configs_and_keep_what_a_derived_config_names() {
        // given
        FailoverConfig base = FailoverConfig.builder().breakerDelay(Duration.ofSeconds(10)).build();
        FailoverConfig derived = base.toBuilder().maxRetries(1).build();
        // when
        FailoverStreamingChatLanguageModel model = FailoverStreamingChatLanguageModel.builder().targets(target("p", primary))
                .deadline(Duration.ofSeconds(9))
                .config(FailoverConfig.builder().jitter(0).build())
                .config(derived)
                .build();
        // then
        assertThat(model.targets()).hasSize(1);
        assertThat(model.toString()).contains("deadline=PT9S").contains("±0.0").contains("open PT10S").contains("maxRetries=1");
    }

    @Test
    void should_keep_a_fit_strategy_when_a_fitting_config_naming_other_settings_comes_after_it() {
        // when
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("p", primary))
                .fitStrategy(FitStrategy.PREFER_FULL_HISTORY)
                .fitting(FittingConfig.builder().defaultReservedOutputTokens(512).build())
                .build();
        // then
        assertThat(model.fitting().strategy()).isEqualTo(FitStrategy.PREFER_FULL_HISTORY);
        assertThat(model.fitting().defaultReservedOutputTokens()).isEqualTo(512);
    }

    @Test
    void should_move_on_after_one_connection_fault_when_connection_retries_are_off_but_keep_retrying_5xx() {
        // given
        primary.enqueue(dropConnection());
        primary.enqueue(serverError());
        primary.enqueue(serverError());
        primary.enqueue(ok("third time"));
        backup.enqueue(ok("backup"));
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder().targets(target("p", primary), target("b", backup))
                .config(FailoverConfig.builder().maxConnectionRetries(0).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build())
                .build();
        // when
        String first = model.chat(UserMessage.from("one")).aiMessage().text();
        String second = model.chat(UserMessage.from("two")).aiMessage().text();
        // then
        assertThat(first).isEqualTo("backup");
        assertThat(second).isEqualTo("third time");
        assertThat(primary.getRequestCount()).isEqualTo(4);
    }

    @Test
    void should_reject_a_target_whose_margin_leaves_no_room_for_the_default_reserved_output_when_the_model_is_built() {
        // given: window 100, margin 80, no maxOutputTokens: the default reservation is 25 (a quarter of the window)
        FailoverTarget target = FailoverTarget.openAiCompatible("tiny").baseUrl(primary.url("/v1").toString()).noApiKey()
                .modelName("m").contextWindowTokens(100).safetyMarginTokens(80).build();
        // when / then
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FailoverChatLanguageModel.builder().targets(target).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target 'tiny'").hasMessageContaining("25 tokens").hasMessageContaining("(80)")
                .hasMessageContaining("contextWindowTokens (100)");
    }
}
