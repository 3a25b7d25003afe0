/**
 * Context-window fitting: counting a chat request in tokens the way the target model does
 * ({@link dev.failover4j.fit.Tokenizer}, with jtokkit) and dropping the oldest turns of a history
 * until it fits a target's window ({@link dev.failover4j.fit.ContextFitter},
 * {@link dev.failover4j.fit.FitResult}).
 *
 * <p>This package depends on LangChain4j and jtokkit only, never on the rest of the library.
 */
package dev.failover4j.fit;
