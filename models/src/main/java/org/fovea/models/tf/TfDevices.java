package org.fovea.models.tf;

import java.util.ArrayList;
import java.util.List;
import org.fovea.ops.net.FoveaException;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/** Finds TensorFlow's GPUs (once) and turns a device request into a session configuration. */
final class TfDevices {

  private static final int MAX_GPUS = 16;

  private TfDevices() {}

  /** Probed on first use; the natives must have loaded. */
  private static final class Holder {
    static final int GPUS = probe();
  }

  /** @return the devices TensorFlow can use here: {@code cpu}, then {@code gpu:0}, ... */
  static List<String> list() {
    List<String> d = new ArrayList<>(List.of("cpu"));
    for (int i = 0; i < Holder.GPUS; i++) {
      d.add("gpu:" + i);
    }
    return d;
  }

  /**
   * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
   * @param noGpuReason why TensorFlow has no GPU here, for the message
   * @return the device that will run: {@code cpu} or {@code gpu:N}
   * @throws FoveaException for an unknown name or a GPU that TensorFlow does not have
   */
  static String resolve(String device, java.util.function.Supplier<String> noGpuReason) {
    String d = device == null ? "auto" : device.trim().toLowerCase();
    if (d.equals("cpu")) {
      return d;
    }
    if (d.equals("auto")) {
      return Holder.GPUS > 0 ? "gpu:0" : "cpu";
    }
    int index;
    if (d.equals("gpu") || d.equals("cuda")) {
      index = 0;
    } else if (d.matches("(gpu|cuda):\\d{1,3}")) {
      index = Integer.parseInt(d.substring(d.indexOf(':') + 1));
    } else {
      throw new FoveaException("unknown device '" + device + "': use cpu, gpu, gpu:N or auto");
    }
    if (Holder.GPUS == 0) {
      throw new FoveaException("--device " + d + " was asked for but tensorflow cannot use a GPU"
          + " here: " + noGpuReason.get());
    }
    if (index >= Holder.GPUS) {
      throw new FoveaException("the TensorFlow engine was asked for " + d + " but TensorFlow sees "
          + Holder.GPUS + " GPU(s): use gpu:0 to gpu:" + (Holder.GPUS - 1) + " or --device cpu");
    }
    return "gpu:" + index;
  }

  /**
   * @param device {@code cpu} or {@code gpu:N}, as {@link #resolve} returns
   * @return a session configuration that runs on that device only
   */
  static ConfigProto config(String device) {
    ConfigProto.Builder c = ConfigProto.newBuilder().setAllowSoftPlacement(true);
    if (device.equals("cpu")) {
      return c.putDeviceCount("GPU", 0).build();
    }
    return c.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)
        .setVisibleDeviceList(device.substring(4))).build();
  }

  /** Counts GPUs by running a tiny op pinned to each in turn, without soft placement. */
  private static int probe() {
    ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build();
    int n = 0;
    while (n < MAX_GPUS && runsOn(n, strict)) {
      n++;
    }
    return n;
  }

  private static boolean runsOn(int gpu, ConfigProto config) {
    try (Graph g = new Graph(); Session s = new Session(g, config)) {
      Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder()
          .deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(gpu).build());
      var one = tf.constant(1f);
      try (TFloat32 r = (TFloat32) s.runner().fetch(tf.math.add(one, one)).run().get(0)) {
        return r.getFloat() == 2f;
      }
    } catch (RuntimeException e) {
      return false;
    }
  }
}
