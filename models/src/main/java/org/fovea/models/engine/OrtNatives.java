package org.fovea.models.engine;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fovea.models.AtomicFiles;

/**
 * ONNX Runtime's native libraries, extracted once per version into the cache folder ({@code
 * CACHE/natives/onnxruntime-VERSION-PLATFORM}, {@link NativeCache#root})
 * and loaded from there through ONNX Runtime's {@code onnxruntime.native.path} property.
 * Without it ONNX Runtime copies 28 MB into a new temporary folder in every process, and a
 * process killed with {@code kill -9} leaves that copy behind.
 *
 * <p>Nothing changes when the user set {@code onnxruntime.native.path} already, or when the jar
 * holds no natives for this platform (then ONNX Runtime's own loading reports the problem); a
 * cache folder that cannot be written falls back to ONNX Runtime's own extraction.
 *
 * @since 0.3.0
 */
final class OrtNatives {

  private static final String PROPERTY = "onnxruntime.native.path";

  private OrtNatives() {}

  /** Points ONNX Runtime at the cached natives, extracting them on first use. */
  static synchronized void install() {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    String platform = platform();
    if (platform == null) {
      return;
    }
    String version = OrtEnvironment.class.getPackage().getImplementationVersion();
    Path dir = NativeCache.root().resolve("natives").resolve("onnxruntime-"
        + (version != null ? version : "unknown") + "-" + platform);
    List<String> libs = List.of(System.mapLibraryName("onnxruntime"),
        System.mapLibraryName("onnxruntime4j_jni"));
    try {
      for (String lib : libs) {
        Path dest = dir.resolve(lib);
        String resource = "/ai/onnxruntime/native/" + platform + "/" + lib;
        try (InputStream in = OrtEnvironment.class.getResourceAsStream(resource)) {
          if (in == null) {
            return; // not this jar's platform: ONNX Runtime's own loading decides
          }
          if (Files.isRegularFile(dest) && version != null) {
            continue; // extracted by an earlier run (written whole, then renamed)
          }
          Files.createDirectories(dir);
          AtomicFiles.write(dest, tmp -> Files.copy(in, tmp));
        }
      }
    } catch (IOException | RuntimeException e) {
      return; // an unwritable cache: ONNX Runtime extracts to a temporary folder as before
    }
    System.setProperty(PROPERTY, dir.toString());
  }

  /** ONNX Runtime's name for this platform's native folder, or null when unknown. */
  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
        : os.contains("win") ? "win" : null;
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
    return o == null || a == null ? null : o + "-" + a;
  }
}
