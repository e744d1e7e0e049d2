package org.fovea.models.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps libtorch's convolutions off oneDNN (mkldnn), which gives wrong numbers on some CPUs.
 *
 * <p>The cause, measured on a 2-core AMD EPYC with AVX-512 (CPU family 26): the oneDNN 3.7.1 that
 * DJL's libtorch 2.7.1 carries computes a float32 convolution wrongly when its channel count is
 * above oneDNN's channel block and not a multiple of it (24 channels with the AVX-512 kernels,
 * block 16; 12 channels with the AVX2 kernels, block 8), by up to 14 on outputs of size 67, the
 * same on every run. PyTorch sends a CPU convolution to oneDNN when it is dilated or large, so the
 * dilated demo model was 0.707 off, and the backward pass goes the same way. Restricting oneDNN to
 * AVX2 ({@code ONEDNN_MAX_CPU_ISA}) only moves the fault to other channel counts. libtorch's own
 * kernels are right on every count, so Fovea turns oneDNN off for libtorch in code, once, when the
 * engine starts: {@code at::globalContext().setUserEnabledMkldnn(false)}, the switch behind
 * Python's {@code torch.backends.mkldnn.enabled}, called through JNA (DJL has no call for it).
 *
 * <p>The system property {@code fovea.pytorch.onednn=true} leaves oneDNN on (faster on dilated
 * layers where it is right); the engines' self-check still guards every model.
 *
 * @since 0.2.0
 */
final class TorchOneDnn {

  /** The system property that leaves oneDNN on. */
  static final String PROPERTY = "fovea.pytorch.onednn";

  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledMkldnnEb";
  private static final String GET_ENABLED = "_ZNK2at7Context17userEnabledMkldnnEv";

  private static String state = "not set";

  private TorchOneDnn() {}

  /**
   * Applies the setting to the loaded libtorch.
   *
   * @param libtorchDir the folder of the loaded {@code libtorch_cpu.so}
   */
  static synchronized void apply(Path libtorchDir) {
    boolean keep = Boolean.getBoolean(PROPERTY);
    Path lib = libtorchDir.resolve("libtorch_cpu.so");
    if (!Files.isRegularFile(lib)) {
      state = "unknown (no libtorch_cpu.so in " + libtorchDir + ")";
      return;
    }
    try {
      NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
      Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
      torch.getFunction(SET_ENABLED).invokeVoid(new Object[] {context, (byte) (keep ? 1 : 0)});
      Function get = torch.getFunction(GET_ENABLED);
      boolean on = (get.invokeInt(new Object[] {context}) & 0xff) != 0;
      state = on ? "on (" + PROPERTY + "=true)" : "off (libtorch's own kernels)";
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      state = "unknown (" + Engines.reason(e) + ")";
    }
  }

  /** @return whether libtorch uses oneDNN, as last applied, in words */
  static synchronized String state() {
    return state;
  }
}
