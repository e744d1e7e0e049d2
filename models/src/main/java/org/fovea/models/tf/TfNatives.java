package org.fovea.models.tf;

import org.fovea.ops.net.FoveaException;
import org.tensorflow.TensorFlow;

/** Loads TensorFlow's natives once per process and remembers whether that worked. */
final class TfNatives {

  private TfNatives() {}

  /** Initialized on first use, which loads the natives. */
  private static final class Holder {
    static final String VERSION;
    static final String REASON;

    static {
      String v = null;
      String r = null;
      try {
        v = TensorFlow.version();
      } catch (LinkageError | RuntimeException e) {
        r = !javaPresent() ? "TensorFlow Java is not installed (the class org.tensorflow.TensorFlow"
            + " is missing): add org.tensorflow:tensorflow-core-api and tensorflow-core-native (in"
            + " Fiji, copy the fiji-tensorflow part of Fovea's update site into Fiji.app)"
            : "TensorFlow natives could not be loaded (" + firstLine(e) + "): install the "
            + "tensorflow-core-native jar for this platform (linux-x86_64 needs glibc 2.34 or "
            + "newer)";
      }
      VERSION = v;
      REASON = r;
    }
  }

  /** @return null when the natives work, else the sentence saying why not and what to install */
  static String unavailableReason() {
    return Holder.REASON;
  }

  /** @return TensorFlow's version, such as {@code 2.18.0}, or null when the natives do not load */
  static String version() {
    return Holder.VERSION;
  }

  /**
   * Loads the natives.
   *
   * @throws FoveaException when they cannot be loaded
   */
  static void require() {
    if (Holder.REASON != null) {
      throw new FoveaException(Holder.REASON);
    }
  }

  /**
   * @return true when the GPU natives ({@code tensorflow-core-native:linux-x86_64-gpu}) are on the
   *     class path rather than the CPU ones
   */
  static boolean gpuBuild() {
    ClassLoader cl = TfNatives.class.getClassLoader();
    if (cl != null && cl.getResource("org/tensorflow/internal/c_api/linux-x86_64-gpu/") != null) {
      return true;
    }
    for (String e : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      if (e.matches(".*tensorflow-core-native-[^/]*-gpu\\.jar")) {
        return true;
      }
    }
    return false;
  }

  private static boolean javaPresent() {
    return TfNatives.class.getClassLoader().getResource("org/tensorflow/TensorFlow.class") != null;
  }

  private static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }
}
