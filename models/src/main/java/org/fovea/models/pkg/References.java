package org.fovea.models.pkg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.PlaneSource;

/**
 * The {@code reference_tensor} of processing steps ({@link ReferencingStep}): which tensors a
 * package may name, and binding the steps to the statistics of the tensors they name.
 *
 * <p>A reference is measured <em>before</em> any processing: an input as the image is given (raw,
 * before its preprocessing), an output as the network gives it (before its postprocessing).
 * bioimage.io core measures the statistics of a processing list the same way, once before its
 * first step ({@code src/bioimageio/core/proc_setup.py}, {@code setup_pre_and_postprocessing}:
 * an {@code UpdateStats} operator first in the pre- and in the postprocessing).
 *
 * @since 0.4.0
 */
public final class References {

  private References() {}

  /**
   * Checks the references of a package's steps as the spec allows them: an input's preprocessing
   * may name inputs, an output's postprocessing inputs (and, in format 0.5, outputs). An input's
   * step that names the input itself is its plain step; one that names another input is refused
   * (Fovea normalizes an input with its own statistics only).
   *
   * @param f the description, for messages
   * @param inputs the inputs read
   * @param outputs the outputs read
   * @param v05 whether the description is format 0.5
   * @return the inputs, with self-references made plain
   * @throws FoveaException naming the step and the reference
   */
  static List<TensorDescription> check(RdfFile f, List<TensorDescription> inputs,
      List<TensorDescription> outputs, boolean v05) {
    List<String> in = inputs.stream().map(TensorDescription::name).toList();
    List<String> out = outputs.stream().map(TensorDescription::name).toList();
    List<TensorDescription> r = new ArrayList<>();
    for (int j = 0; j < inputs.size(); j++) {
      TensorDescription d = inputs.get(j);
      List<ProcessingStep> steps = new ArrayList<>();
      for (int i = 0; i < d.processing().size(); i++) {
        ProcessingStep s = d.processing().get(i);
        if (s instanceof NormalizeSteps.ReferencedScaleRange rs) {
          if (!rs.reference().equals(d.name())) {
            String at = f.at() + " (inputs[" + j + "].preprocessing[" + i + "], " + s.kind()
                + "): kwarg 'reference_tensor' names '" + rs.reference() + "'";
            throw new FoveaException(in.contains(rs.reference())
                ? at + ", another input: Fovea normalizes an input with its own statistics only,"
                    + " so this package cannot run here; remove reference_tensor or re-export the"
                    + " package without it"
                : at + ", which is not an input of this model (an input's preprocessing may name"
                    + " only inputs: " + in + "); fix the kwargs of this step");
          }
          s = rs.own();
        }
        steps.add(s);
      }
      r.add(new TensorDescription(d.spec(), steps, d.channelNames()));
    }
    for (int j = 0; j < outputs.size(); j++) {
      List<ProcessingStep> steps = outputs.get(j).processing();
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i) instanceof ReferencingStep rs && !in.contains(rs.reference())
            && !(v05 && out.contains(rs.reference()))) {
          String at = f.at() + " (outputs[" + j + "].postprocessing[" + i + "], "
              + steps.get(i).kind() + "): kwarg 'reference_tensor' names '" + rs.reference()
              + "', which ";
          throw new FoveaException(v05
              ? at + "is no tensor of this model (it may name the inputs " + in + " or the"
                  + " outputs " + out + "); fix the kwargs of this step"
              : at + "is not an input of this model (format 0.4 lets an output's postprocessing"
                  + " name only inputs: " + in + "); fix the kwargs of this step");
        }
      }
    }
    return r;
  }

  /**
   * @param steps a tensor's processing
   * @param tensors tensors by name, whole, before any processing
   * @return the steps, those that name one of the tensors bound to its statistics
   */
  public static List<ProcessingStep> bind(List<ProcessingStep> steps, Map<String, Tensor> tensors) {
    List<ProcessingStep> r = new ArrayList<>(steps.size());
    for (ProcessingStep s : steps) {
      if (s instanceof ReferencingStep rs && !rs.bound() && tensors.containsKey(rs.reference())) {
        s = rs.bind(tensors.get(rs.reference()));
      }
      r.add(s);
    }
    return r;
  }

  /**
   * @param steps a tensor's processing
   * @param images whole images by tensor name, before any processing
   * @param volume whether the images' planes are the slices of a volume
   * @return the steps, those that name one of the images bound to its statistics
   */
  public static List<ProcessingStep> bindWhole(List<ProcessingStep> steps,
      Map<String, PlaneSource> images, boolean volume) {
    List<ProcessingStep> r = new ArrayList<>(steps.size());
    for (ProcessingStep s : steps) {
      if (s instanceof ReferencingStep rs && !rs.bound() && images.containsKey(rs.reference())) {
        s = rs.bind(images.get(rs.reference()), volume);
      }
      r.add(s);
    }
    return r;
  }

  /**
   * @param steps a tensor's processing
   * @param names tensor names
   * @return whether a step that is not bound yet names one of them
   */
  public static boolean names(List<ProcessingStep> steps, Set<String> names) {
    for (ProcessingStep s : steps) {
      if (s instanceof ReferencingStep rs && !rs.bound() && names.contains(rs.reference())) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param s a step
   * @return the tensor whose statistics it takes that it is not bound to yet, or null
   */
  public static String unboundReference(ProcessingStep s) {
    return s instanceof ReferencingStep rs && !rs.bound() ? rs.reference() : null;
  }

  /**
   * Checks that bound steps' statistics line up with a tensor's groups (the same channels, say).
   *
   * @param steps steps, some bound
   * @param axes the axes of the tensor they will scale
   * @param shape its shape (the reduced axes' sizes do not matter)
   * @throws FoveaException when they do not
   */
  public static void checkFits(List<ProcessingStep> steps, Axes axes, long[] shape) {
    for (ProcessingStep s : steps) {
      if (s instanceof NormalizeSteps.Bound b
          && !(s instanceof ReferencingStep rs && !rs.bound())) {
        b.fits(axes, shape);
      }
    }
  }
}
