package dev.failover4j.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSpecTest {

    @Test
    void should_simulate_all_three_providers_when_no_variable_is_set() {
        // given
        Map<String, String> env = Map.of();

        // when
        List<ProviderSpec> specs = ProviderSpec.fromEnvironment(env);

        // then
        assertThat(specs).extracting(ProviderSpec::name).containsExactly("primary", "secondary", "budget");
        assertThat(specs).allMatch(ProviderSpec::isSimulated);
        assertThat(specs).extracting(ProviderSpec::contextWindowTokens).containsExactly(128_000, 64_000, 8_000);
    }

    @Test
    void should_use_a_real_endpoint_when_its_base_url_is_set() {
        // given
        Map<String, String> env = Map.of(
                "FAILOVER_SECONDARY_BASE_URL", "https://api.deepseek.com/v1",
                "FAILOVER_SECONDARY_API_KEY", "sk-live-1234567890abcdef",
                "FAILOVER_SECONDARY_MODEL", "deepseek-chat",
                "FAILOVER_SECONDARY_WINDOW", "64_000",
                "FAILOVER_SECONDARY_PRICE", "0.28/0.42");

        // when
        ProviderSpec secondary = ProviderSpec.fromEnvironment(env).get(1);

        // then
        assertThat(secondary.isSimulated()).isFalse();
        assertThat(secondary.baseUrl()).isEqualTo("https://api.deepseek.com/v1");
        assertThat(secondary.modelName()).isEqualTo("deepseek-chat");
        assertThat(secondary.contextWindowTokens()).isEqualTo(64_000);
        assertThat(secondary.price().outputPerMillion()).isEqualByComparingTo("0.42");
        assertThat(secondary.toString()).contains("key ****").doesNotContain("1234567890abcdef");
        assertThat(ProviderSpec.fromEnvironment(env).get(0).isSimulated()).isTrue();
    }

    @Test
    void should_name_the_variable_when_window_or_price_is_malformed() {
        assertThatThrownBy(() -> ProviderSpec.fromEnvironment(Map.of(
                "FAILOVER_BUDGET_BASE_URL", "http://localhost:11434/v1", "FAILOVER_BUDGET_WINDOW", "8k")))
                .hasMessage("FAILOVER_BUDGET_WINDOW must be a number of tokens but was '8k'");
        assertThatThrownBy(() -> ProviderSpec.fromEnvironment(Map.of(
                "FAILOVER_BUDGET_BASE_URL", "http://localhost:11434/v1", "FAILOVER_BUDGET_PRICE", "cheap")))
                .hasMessageStartingWith("FAILOVER_BUDGET_PRICE must look like 0.27/1.10");
    }
}
