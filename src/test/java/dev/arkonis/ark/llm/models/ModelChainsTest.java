package dev.arkonis.ark.llm.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.ApiKeys;
import dev.arkonis.ark.api.ArkModelSpec;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.RateLimits;
import dev.arkonis.ark.api.NamedSecret;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A role's model resolved into its chain: its ArkModel over the table, then the fallbacks in order. */
class ModelChainsTest {
    private final ModelChains chains = new ModelChains(ModelCatalog.builtIn());

    private static ArkModelSpec model(Provider provider, String model, String endpoint, String keys, RateLimits limits,
                                      ModelPrices prices, Long window, String... fallback) {
        return new ArkModelSpec(provider, model, endpoint, null, keys == null ? null : new ApiKeys(new NamedSecret(keys)),
                limits, prices, window, Arrays.asList(fallback));
    }

    @Test
    void aPlainModelIsTheRolesProviderPricedAndSizedFromTheTable() {
        ModelChains.Chain chain = chains.resolve("gpt-4o", null, Map.of());

        assertThat(chain.models()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("gpt-4o");
            assertThat(m.provider()).isEqualTo(Provider.OPENAI);
            assertThat(m.contextWindow()).isEqualTo(128_000L);
            assertThat(m.prices().input()).isEqualByComparingTo("2.50");
            assertThat(m.prices().cachedInput()).isEqualByComparingTo("1.25");
            assertThat(m.isRateLimited()).isFalse();
        });
        assertThat(chain.keySecrets()).containsExactly((String) null);
    }

    @Test
    void anArkModelsFieldsWinOverTheTablesAndItsFallbacksFollowInOrderOnceEach() {
        Map<String, ArkModelSpec> models = Map.of(
                "fast", model(Provider.OPENAI, "gpt-4o", "https://gw.example/v1", "gw-keys", new RateLimits(60, 90_000L),
                        new ModelPrices(new BigDecimal("2.00"), null, null, null), null,
                        "claude", "fast", "gpt-4.1", "claude"),
                "claude", model(Provider.ANTHROPIC, "claude-sonnet-4-5", null, null, null, null, 500_000L));

        ModelChains.Chain chain = chains.resolve("fast", Provider.OPENAI, models);

        assertThat(chain.models()).extracting(ModelProfile::name).containsExactly("fast", "claude", "gpt-4.1");
        ModelProfile fast = chain.first();
        assertThat(fast.model()).isEqualTo("gpt-4o");
        assertThat(fast.endpoint()).isEqualTo("https://gw.example/v1");
        assertThat(fast.ownKeys()).isTrue();
        assertThat(fast.rateLimits()).isEqualTo(new RateLimits(60, 90_000L));
        assertThat(fast.prices().input()).as("the ArkModel's price").isEqualByComparingTo("2.00");
        assertThat(fast.prices().output()).as("the table's, for what the ArkModel leaves out").isEqualByComparingTo("10");
        assertThat(fast.contextWindow()).isEqualTo(128_000L);
        assertThat(chain.models().get(1).provider()).isEqualTo(Provider.ANTHROPIC);
        assertThat(chain.models().get(1).contextWindow()).isEqualTo(500_000L);
        assertThat(chain.models().get(2).provider()).as("a plain fallback: the provider its name implies")
                .isEqualTo(Provider.OPENAI);
        assertThat(chain.keySecrets()).containsExactly("gw-keys", null, null);
        assertThat(chain.problems()).isEmpty();
    }

    @Test
    void anEndpointWithoutKeysOfItsOwnIsLeftOutSoTheAgentsKeyGoesNowhereElse() {
        ModelChains.Chain chain = chains.resolve("sneaky", null,
                Map.of("sneaky", model(Provider.OPENAI, "gpt-4o", "https://evil.example/v1", null, null, null, null)));

        assertThat(chain.first().endpoint()).isNull();
        assertThat(chain.first().ownKeys()).isFalse();
        assertThat(chain.problems()).containsExactly("ArkModel sneaky: endpoint left out: an endpoint needs apiKeys.secretRef");
    }

    @Test
    void theTablesOverrideMergesFieldByFieldAndABadOneSaysWhy() {
        ModelCatalog catalog = ModelCatalog.withOverride("""
                gpt-4o: {prices: {input: 2.0}, rateLimits: {requestsPerMinute: 500}}
                house-llm: {contextWindow: 32000}
                """);

        assertThat(catalog.entry("gpt-4o").prices().input()).isEqualByComparingTo("2.0");
        assertThat(catalog.entry("gpt-4o").prices().output()).isEqualByComparingTo("10");
        assertThat(catalog.entry("gpt-4o").contextWindow()).isEqualTo(128_000L);
        assertThat(new ModelChains(catalog).resolve("gpt-4o", null, Map.of()).first().clusterRateLimits())
                .isEqualTo(new RateLimits(500, null));
        assertThat(catalog.entry("house-llm").contextWindow()).isEqualTo(32_000L);
        assertThat(catalog.entry("unknown")).isEqualTo(ModelCatalog.Entry.NONE);
        assertThatThrownBy(() -> ModelCatalog.withOverride("[1, 2]")).hasMessageContaining("MODEL_CATALOG must be a map");
        assertThatThrownBy(() -> ModelCatalog.withOverride("gpt-4o: {contextWindow: lots}"))
                .hasMessageContaining("wrong shape");
        assertThat(List.of(catalog.entries().keySet().toArray())).contains("gpt-4o", "house-llm", "claude-sonnet-4-5");
    }
}
