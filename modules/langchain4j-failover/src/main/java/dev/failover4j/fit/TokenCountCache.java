package dev.failover4j.fit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * A bounded, thread-safe map from a value (a message, a tool specification) to its token count.
 * Internal.
 *
 * <p>Keys are compared by equality, which is safe: equal LangChain4j messages are sent identically and
 * so have equal counts. Two generations approximate LRU without a lock on the read path: new entries
 * go to the young generation; when it holds {@code maxEntries / 2} entries it becomes the old one and
 * the previous old generation is dropped; a hit in the old generation is copied to the young one. So
 * at most {@code maxEntries} entries (plus a few racing writes) are held, and whatever a conversation
 * used in its last call survives. {@code maxEntries == 0} disables caching.
 */
final class TokenCountCache<K> {

    private final int generationSize;
    private volatile ConcurrentHashMap<K, Integer> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<K, Integer> old = new ConcurrentHashMap<>();

    TokenCountCache(int maxEntries) {
        this.generationSize = maxEntries / 2 + maxEntries % 2;
    }

    int get(K key, ToIntFunction<K> counter) {
        if (generationSize == 0) {
            return counter.applyAsInt(key);
        }
        Integer count = young.get(key);
        if (count != null) {
            return count;
        }
        count = old.get(key);
        if (count == null) {
            count = counter.applyAsInt(key);
        }
        put(key, count);
        return count;
    }

    int size() {
        return young.size() + old.size();
    }

    private void put(K key, int count) {
        ConcurrentHashMap<K, Integer> generation = young;
        generation.put(key, count);
        if (generation.size() >= generationSize) {
            rotate(generation);
        }
    }

    private synchronized void rotate(ConcurrentHashMap<K, Integer> full) {
        if (young == full) {
            old = full;
            young = new ConcurrentHashMap<>();
        }
    }
}
