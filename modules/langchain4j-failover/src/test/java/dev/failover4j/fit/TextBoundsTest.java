package dev.failover4j.fit;

import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TextBoundsTest {

    @Test
    void should_equal_utf8_length_when_text_is_valid() {
        // given
        String text = "aä€😀 Привет 東京";

        // when
        long bound = TextBounds.utf8Length(text);

        // then
        assertThat(bound).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void should_fall_back_to_three_per_char_when_text_has_an_unpaired_surrogate() {
        // given
        String loneHigh = "ab\uD800cd";
        String loneLow = "ab\uDC00";
        String highAtEnd = "abc\uD83D";

        // when / then
        assertThat(TextBounds.utf8Length(loneHigh)).isEqualTo(15);
        assertThat(TextBounds.utf8Length(loneLow)).isEqualTo(9);
        assertThat(TextBounds.utf8Length(highAtEnd)).isEqualTo(12);
    }

    @Test
    void should_never_be_below_the_real_count_when_text_is_random() {
        // given
        Random random = new Random(42);
        Tokenizer[] tokenizers = {Tokenizer.of(EncodingType.O200K_BASE), Tokenizer.of(EncodingType.CL100K_BASE)};
        char[] alphabet = "aZ 9.,\n\t<|>äöüß€Привет東京日本😀\uD800\uDC00".toCharArray();

        for (int run = 0; run < 2_000; run++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = text.toString();
            for (Tokenizer tokenizer : tokenizers) {
                // when
                int tokens = tokenizer.countText(s);

                // then
                assertThat((long) tokens).as("'%s'", s).isLessThanOrEqualTo(TextBounds.utf8Length(s))
                        .isLessThanOrEqualTo(TextBounds.threeTimesLength(s));
            }
        }
    }
}
