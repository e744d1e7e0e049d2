package org.fovea.cli;

import java.io.PrintWriter;
import org.fovea.cli.bench.BenchCommand;
import org.fovea.models.SelfCheck;
import org.fovea.ops.net.FoveaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code fovea} command line.
 *
 * @since 0.1.0
 */
@Command(name = "fovea", mixinStandardHelpOptions = true, version = "fovea 0.1.0",
    description = "CNN operations for microscopy images: segmentation, models, benchmarks.",
    subcommands = {SegmentCommand.class, ModelsCommand.class, BenchCommand.class, FieldCommand.class,
        MatchCommand.class, InstancesCommand.class,
        DoctorCommand.class,
        BatchCommand.class, ScriptCommand.class,
        SaliencyCommand.class,
        CommandLine.HelpCommand.class})
public final class FoveaCli {

  /** Exit code for a user error: bad input, missing file, unusable device. */
  public static final int USER_ERROR = 2;

  private FoveaCli() {}

  /**
   * {@code --no-verify}, on every subcommand: skips the engines' self-check ({@link SelfCheck}).
   *
   * @param skip whether to skip it
   */
  @Option(names = "--no-verify", scope = ScopeType.INHERIT, description = "run models without"
      + " first checking the engine's numbers against the package's test tensors and its"
      + " gradients against finite differences (the check runs once per model, engine and CPU)")
  void noVerify(boolean skip) {
    if (skip) {
      System.setProperty(SelfCheck.PROPERTY, "false");
    }
  }

  /**
   * @param args command-line arguments
   * @return the exit code
   */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * @param out where results go
   * @param err where errors and progress go
   * @param args command-line arguments
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    // --no-verify and the notices hold for this run only (tests run the CLI in one process)
    String verify = System.getProperty(SelfCheck.PROPERTY);
    SelfCheck.setNotices(err::println);
    try {
      return execute(out, err, args);
    } finally {
      SelfCheck.setNotices(null);
      if (verify == null) {
        System.clearProperty(SelfCheck.PROPERTY);
      } else {
        System.setProperty(SelfCheck.PROPERTY, verify);
      }
    }
  }

  private static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new FoveaCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      PrintWriter e = cmd.getErr();
      if (ex instanceof FoveaException) {
        e.println("fovea: " + ex.getMessage());
        e.flush();
        return USER_ERROR;
      }
      e.println("fovea: internal error: " + ex);
      for (StackTraceElement el : ex.getStackTrace()) {
        e.println("    at " + el);
      }
      e.flush();
      return 1;
    });
    return cl.execute(args);
  }

  /**
   * Runs the command line and exits with its code.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    // stdout carries Fovea's results only: what libraries print there (ImageJ's diagnostics,
    // stack traces of their own) goes to stderr with the progress and the errors
    STDOUT = System.out;
    System.setOut(System.err);
    System.exit(run(new PrintWriter(STDOUT, true), new PrintWriter(System.err, true), args));
  }

  /** The process's standard output, where results go (System.out is stderr under main). */
  static java.io.PrintStream STDOUT = System.out;
}
