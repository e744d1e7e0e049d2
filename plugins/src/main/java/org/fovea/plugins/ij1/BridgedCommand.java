package org.fovea.plugins.ij1;

import ij.ImagePlus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.fovea.ops.net.FoveaException;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginService;

/**
 * Runs one SciJava command for ImageJ 1: checks the macro's keys, asks for (or reads) the inputs,
 * passes the current image, runs the command after SciJava's preprocessors, and returns its image
 * output.
 *
 * @param context the SciJava context
 * @param command the command class
 * @param title the ImageJ 1 command name, for dialogs and messages
 * @since 0.1.0
 */
record BridgedCommand(Context context, Class<? extends Command> command, String title) {

  /**
   * @param image the current image, or null when none is open
   * @param options the macro's options, or null when run from the menu
   * @return the command's first image output, or null when the user cancelled the dialog
   * @throws FoveaException with one sentence when a key is unknown, the image is missing, or the
   *     command failed or was cancelled
   */
  ImagePlus run(ImagePlus image, String options) {
    CommandInfo info = context.service(CommandService.class).getCommand(command);
    ModuleService modules = context.service(ModuleService.class);
    List<ModuleItem<?>> items = MacroInputs.of(info);
    if (options != null) {
      MacroOptions.check(options, items.stream().map(ModuleItem::getName).toList(), title);
    }
    String imageInput = MacroInputs.image(info);
    if (imageInput != null && image == null) {
      throw new FoveaException("no image is open: open one first");
    }
    Module module = modules.createModule(info);
    Map<String, Object> values = CommandDialog.ask(title, module, items);
    if (values == null) {
      return null;
    }
    if (imageInput != null) {
      values.put(imageInput, image);
    }
    return output(await(modules, module, values));
  }

  private Module await(ModuleService modules, Module module, Map<String, Object> values) {
    try {
      // the preprocessors inject services and check inputs; no postprocessors: the bridge shows
      // the output itself (SciJava's display postprocessor has no display for an ImagePlus here)
      List<PreprocessorPlugin> pre = context.service(PluginService.class)
          .createInstancesOfType(PreprocessorPlugin.class);
      Module done = modules.run(module, pre, null, values).get();
      if (done instanceof Cancelable c && c.isCanceled()) {
        throw new FoveaException(c.getCancelReason());
      }
      return done;
    } catch (ExecutionException e) {
      // SciJava wraps what the command threw in "Module threw exception"
      Throwable t = e.getCause();
      while (t.getCause() != null && !(t instanceof FoveaException)) {
        t = t.getCause();
      }
      throw t instanceof FoveaException f ? f
          : new FoveaException("\"" + title + "\" failed (" + t + "); please report it", t);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoveaException("\"" + title + "\" was interrupted", e);
    }
  }

  private static ImagePlus output(Module m) {
    for (ModuleItem<?> o : m.getInfo().outputs()) {
      if (m.getOutput(o.getName()) instanceof ImagePlus imp) {
        return imp;
      }
    }
    return null;
  }
}
