package org.fovea.ops.tiling;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * A small cache of computed cells, bounded in bytes, least recently used out first. Each key is
 * computed once even when several threads ask for it at the same moment: the first computes, the
 * others wait for its result. A failed computation is not cached; the next request tries again.
 *
 * @param <V> the cell type
 * @since 0.2.0
 */
public final class CellCache<V> {

  private final long maxBytes;
  private final ToLongFunction<V> bytes;
  private final LinkedHashMap<Long, V> done = new LinkedHashMap<>(16, 0.75f, true);
  private final ConcurrentHashMap<Long, CompletableFuture<V>> running = new ConcurrentHashMap<>();
  private long held;

  /**
   * @param maxBytes the most bytes of cells kept (the newest cell is kept even when larger)
   * @param bytes the size of a cell in bytes
   */
  public CellCache(long maxBytes, ToLongFunction<V> bytes) {
    this.maxBytes = maxBytes;
    this.bytes = bytes;
  }

  /**
   * @param key the cell's index
   * @param compute computes the cell when it is not held
   * @return the cell
   */
  public V get(long key, LongFunction<V> compute) {
    synchronized (done) {
      V v = done.get(key);
      if (v != null) {
        return v;
      }
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> other = running.putIfAbsent(key, mine);
    if (other != null) {
      try {
        return other.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      V v;
      synchronized (done) {
        v = done.get(key); // finished between the first look and taking the slot
      }
      if (v == null) {
        v = compute.apply(key);
        put(key, v);
      }
      mine.complete(v);
      return v;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(key, mine);
    }
  }

  /**
   * @param key the cell's index
   * @return the cell if it is held now, else null (nothing is computed)
   */
  public V peek(long key) {
    synchronized (done) {
      return done.get(key);
    }
  }

  private void put(long key, V v) {
    synchronized (done) {
      done.put(key, v);
      held += bytes.applyAsLong(v);
      Iterator<Map.Entry<Long, V>> it = done.entrySet().iterator();
      while (held > maxBytes && done.size() > 1 && it.hasNext()) {
        Map.Entry<Long, V> e = it.next();
        if (e.getKey() == key) {
          continue;
        }
        held -= bytes.applyAsLong(e.getValue());
        it.remove();
      }
    }
  }

  /** @return the bytes of the cells held now */
  public long heldBytes() {
    synchronized (done) {
      return held;
    }
  }
}
