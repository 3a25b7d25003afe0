package dev.failover4j.fit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCountCacheTest {

    @Test
    void should_count_once_when_the_same_key_comes_again() {
        // given
        TokenCountCache<String> cache = new TokenCountCache<>(10);
        AtomicInteger calls = new AtomicInteger();

        // when
        int first = cache.get("hello", key -> calls.incrementAndGet() * 100);
        int second = cache.get(new String("hello"), key -> calls.incrementAndGet() * 100);

        // then
        assertThat(first).isEqualTo(second).isEqualTo(100);
        assertThat(calls).hasValue(1);
    }

    @Test
    void should_stay_within_its_size_and_keep_recent_keys_when_many_keys_are_added() {
        // given
        TokenCountCache<Integer> cache = new TokenCountCache<>(100);
        AtomicInteger calls = new AtomicInteger();

        // when
        for (int i = 0; i < 10_000; i++) {
            cache.get(i, key -> {
                calls.incrementAndGet();
                return key;
            });
        }
        calls.set(0);
        cache.get(9_999, key -> calls.incrementAndGet());

        // then
        assertThat(cache.size()).isLessThanOrEqualTo(100);
        assertThat(calls).hasValue(0);
    }

    @Test
    void should_count_every_time_when_size_is_zero() {
        // given
        TokenCountCache<String> cache = new TokenCountCache<>(0);
        AtomicInteger calls = new AtomicInteger();

        // when
        cache.get("a", key -> calls.incrementAndGet());
        cache.get("a", key -> calls.incrementAndGet());

        // then
        assertThat(calls).hasValue(2);
        assertThat(cache.size()).isZero();
    }
}
