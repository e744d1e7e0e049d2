package org.fovea.plugins.ij1;

import org.scijava.Context;

/**
 * The one SciJava {@link Context} the ImageJ 1 bridge runs commands in, made on first use with
 * the plugin's own class loader (plain ImageJ loads plugins with its own loader, which the thread's
 * context class loader does not know) and disposed when the JVM exits.
 *
 * @since 0.1.0
 */
final class BridgeContext {

  private static Context context;

  private BridgeContext() {}

  /** @return the shared context */
  static synchronized Context get() {
    if (context == null) {
      context = withPluginLoader(Context::new);
    }
    return context;
  }

  /**
   * Runs a task with this plugin's class loader as the thread's context class loader, as SciJava's
   * plugin discovery and the engines' service loaders expect.
   *
   * @param task the task
   * @param <T> its result type
   * @return its result
   */
  static <T> T withPluginLoader(java.util.function.Supplier<T> task) {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(BridgeContext.class.getClassLoader());
    try {
      return task.get();
    } finally {
      t.setContextClassLoader(before);
    }
  }
}
