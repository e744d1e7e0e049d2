package org.fovea.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.fovea.models.engine.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fovea doctor}: the engines present, their versions, the devices each can use, and why an
 * engine or a GPU is unavailable.
 *
 * @since 0.1.0
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Engines present, versions, usable devices, and why a GPU cannot be used.")
public final class DoctorCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Doctor.Report r = Doctor.examine();
    if (json) {
      out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(r));
    } else {
      out.print(r.text());
    }
    out.flush();
    return 0;
  }
}
