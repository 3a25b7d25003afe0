package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FittingConfigTest {

    @Test
    void should_change_only_the_strategy_when_a_builder_sets_fit_strategy_after_fitting() {
        FittingConfig custom = FittingConfig.builder().defaultReservedOutputTokens(512).startWithUserMessage(false).build();
        FailoverChatLanguageModel sync = FailoverChatLanguageModel.builder()
                .targets(FailoverTarget.openAiCompatible("p").baseUrl("http://127.0.0.1:1/v1").noApiKey().modelName("m").contextWindowTokens(8_000).build())
                .fitting(custom)
                .fitStrategy(FitStrategy.PREFER_FULL_HISTORY)
                .build();
        assertThat(sync.fitting().strategy()).isEqualTo(FitStrategy.PREFER_FULL_HISTORY);
        assertThat(sync.fitting().defaultReservedOutputTokens()).isEqualTo(512);
        assertThat(sync.fitting().startWithUserMessage()).isFalse();
        assertThat(custom.withStrategy(FitStrategy.PREFER_FULL_HISTORY).strategy()).isEqualTo(FitStrategy.PREFER_FULL_HISTORY);
        assertThat(custom.strategy()).isEqualTo(FitStrategy.TRUNCATE_FOR_PRIMARY); // the original is untouched
    }
}
