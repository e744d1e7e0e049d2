package org.fovea.models.engine;

import java.util.function.Function;
import java.util.function.Supplier;
import org.fovea.ops.net.FoveaException;

/**
 * An engine runtime started at most once per process: the first {@link #get()} loads it; a failure
 * is remembered as one sentence and thrown again on every later call, without retrying.
 *
 * @param <T> the runtime's type
 * @since 0.1.0
 */
public final class LoadOnce<T> {

  private final Supplier<T> loader;
  private final Function<Throwable, String> failure;
  private T value;
  private String why;

  /**
   * @param loader starts the runtime (loads natives)
   * @param failure turns a load failure into one sentence saying what to install
   */
  public LoadOnce(Supplier<T> loader, Function<Throwable, String> failure) {
    this.loader = loader;
    this.failure = failure;
  }

  /**
   * @return the runtime
   * @throws FoveaException when it cannot load here
   */
  public synchronized T get() {
    if (value == null && why == null) {
      try {
        value = loader.get();
      } catch (Throwable t) { // natives fail with Errors (UnsatisfiedLinkError) as often as not
        why = failure.apply(t);
      }
    }
    if (value == null) {
      throw new FoveaException(why);
    }
    return value;
  }

  /** @return null when the runtime loads, else why not */
  public String unavailableReason() {
    try {
      get();
      return null;
    } catch (FoveaException e) {
      return e.getMessage();
    }
  }
}
