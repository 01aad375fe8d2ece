package dev.seedling.cli;

import dev.seedling.tensor.SeedlingException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seedling} — the command line. Each subcommand is one pipeline stage; user mistakes
 * ({@link SeedlingException}) print one line and exit 1 ({@code --verbose} adds the stack trace).
 */
@Command(name = "seedling", mixinStandardHelpOptions = true, version = "seedling 0.1.0",
        description = "Build small, private, domain-specific language models on the JVM.",
        subcommands = {DemoDataCommand.class, CurateCommand.class, TokenizerCommand.class, PackCommand.class, PretrainCommand.class,
                GenerateCommand.class, ChatCommand.class, ScoreCommand.class, ExportCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start here:  seedling demo-data --out runs/demo-data",
                "             seedling pretrain --data runs/demo-data/docs --preset tiny --out runs/first",
                "             seedling generate --model runs/first/model --prompt \"The pump\"",
                "Every command has --help."})
public final class Main implements Runnable {
    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int execute(String... args) {
        applyThreadsOption(args);
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        // library log lines (System.Logger → java.util.logging) only with --verbose; commands print their own progress
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(120); // our descriptions are laid out for ~110 columns; applies to every subcommand
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            Throwable t = ex;
            if (t instanceof SeedlingException || verbose) {
                err.println("error: " + t.getMessage());
                if (verbose) t.printStackTrace(err);
            } else {
                err.println("internal error: " + t + " (run with --verbose for the stack trace, and please report it)");
            }
            err.flush();
            return 1;
        });
        // malformed options (--steps abc, a missing value, an unknown option): one line and where to look
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage() + " (see: " + c.getCommandSpec().qualifiedName() + " --help)");
            c.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    /** {@code --threads N} must take effect before the worker pool starts, so it is read before parsing. */
    private static void applyThreadsOption(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = a.startsWith("--threads=") ? a.substring(10) : a.equals("--threads") && i + 1 < args.length ? args[i + 1] : null;
            if (v != null) System.setProperty("seedling.threads", v);
        }
    }
}
