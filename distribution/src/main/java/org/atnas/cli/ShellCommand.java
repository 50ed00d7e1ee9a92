package org.atnas.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.atnas.core.plugin.LivePlugins;
import org.atnas.core.plugin.PluginLoadException;
import org.atnas.core.plugin.PluginLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code atnas shell}: atnas commands one per line in one process, so that plugins load once and, in
 * the OSGi runtime, can be installed, updated and uninstalled while commands run. Each command runs
 * with the plugins of the moment it starts (a {@link LivePlugins.Lease}): a change is seen by the
 * next command, never by a running one.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"Runs atnas commands one per line, from the terminal or standard input, in one process: plugins load once, and in the OSGi runtime (atnas --runtime osgi shell) a plugin can be installed, updated or uninstalled while commands run.",
                "",
                "Besides every atnas command (search --set ..., plugins, ...): install FOLDER, update NAME [FOLDER], uninstall NAME, jobs, wait [N], help, exit. A line ending in & runs in the background, its output in a log file. The exit code is 1 if a command failed."})
final class ShellCommand
        implements Callable<Integer>
{
    private static final String HELP = """
            Every atnas command, without 'atnas': search --set k=v ..., plugins, config defaults, ...
              COMMAND ... &            runs it in the background, its output in a log file
              install FOLDER           installs a plugin folder (a jar and its private dependencies,
                                       such as a plugin project's target/plugins/NAME) as plugins/NAME
              update NAME [FOLDER]     replaces plugin NAME by FOLDER, or reloads plugins/NAME
              uninstall NAME           uninstalls plugin NAME and removes plugins/NAME
              jobs                     lists the background commands
              wait [N]                 waits for background command N, or for all
              exit                     leaves, once the background commands have ended
            A command runs with the plugins of the moment it starts: install, update and uninstall
            (OSGi runtime only) change what the next command sees, never a running one. Plugins with
            native libraries (atnas plugins says which) cannot be updated or uninstalled.""";

    @ParentCommand
    AtnasCommand parent;

    @Option(names = "--jobs-dir", paramLabel = "DIR", description = "Where background commands write their output (job-N.log); default: a new folder in the temporary directory.")
    Path jobsDirectory;

    private final Map<Integer, Job> jobs = new TreeMap<>();
    /** Whether a command failed: the shell's exit code. Background commands set it from their threads. */
    private final AtomicBoolean failed = new AtomicBoolean();

    @Override
    public Integer call()
            throws IOException, InterruptedException
    {
        Launcher launcher = parent.launcher;
        PrintWriter out = launcher.out();
        PrintWriter err = launcher.err();
        LivePlugins live = launcher.osgi() ? launcher.livePlugins() : null;
        int plugins = launcher.scanPlugins().plugins().size();
        out.println("atnas shell, " + (live == null ? "class-loader runtime (plugins cannot change while it runs; atnas --runtime osgi shell can)" : "OSGi runtime")
                + ", " + plugins + " plugins. help lists the commands; exit or the end of input leaves.");
        out.flush();
        boolean interactive = System.console() != null;
        Set<String> commands = new CommandLine(new AtnasCommand(launcher)).getSubcommands().keySet();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            if (interactive) {
                out.print("atnas> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) {
                break;
            }
            List<String> words;
            try {
                words = words(line);
            }
            catch (IllegalArgumentException e) {
                fail(err, e.getMessage());
                continue;
            }
            if (words.isEmpty()) {
                continue;
            }
            boolean background = words.get(words.size() - 1).equals("&");
            if (background) {
                words = words.subList(0, words.size() - 1);
                if (words.isEmpty()) {
                    fail(err, "Nothing to run in the background: put & after a command");
                    continue;
                }
            }
            String command = words.get(0);
            if (List.of("exit", "quit").contains(command)) {
                break;
            }
            if (List.of("help", "install", "update", "uninstall", "jobs", "wait", "shell").contains(command)) {
                if (background) {
                    fail(err, "[" + command + "] is a shell command; only atnas commands run in the background");
                    continue;
                }
                builtIn(launcher, live, words);
            }
            else if (!commands.contains(command)) {
                fail(err, "Unknown command [" + command + "]; help lists the commands");
            }
            else if (background) {
                start(launcher, live, words, line.strip());
            }
            else {
                try (Leased leased = lease(launcher, live)) {
                    if (launcher.using(leased.plugins(), out, err).execute(words.toArray(String[]::new)) != 0) {
                        failed.set(true);
                    }
                }
            }
            out.flush();
            err.flush();
        }
        List<Job> running = jobs.values().stream().filter(job -> job.thread().isAlive()).toList();
        if (!running.isEmpty()) {
            out.println("Waiting for " + running.size() + (running.size() == 1 ? " background command" : " background commands") + " to end (Ctrl-C stops them; a search keeps its last checkpoint) ...");
            out.flush();
        }
        for (Job job : jobs.values()) {
            job.thread().join();
        }
        return failed.get() ? 1 : 0;
    }

    private void builtIn(Launcher launcher, LivePlugins live, List<String> words)
            throws InterruptedException
    {
        PrintWriter out = launcher.out();
        PrintWriter err = launcher.err();
        String command = words.get(0);
        List<String> arguments = words.subList(1, words.size());
        switch (command) {
            case "help" -> out.println(HELP);
            case "shell" -> fail(err, "Already in the shell");
            case "jobs" -> {
                if (jobs.isEmpty()) {
                    out.println("No background commands.");
                }
                for (Job job : jobs.values()) {
                    out.println("[" + job.id() + "] " + job.state() + "  " + job.line() + "  (output in " + job.log() + ")");
                }
            }
            case "wait" -> {
                if (arguments.size() > 1) {
                    fail(err, "wait takes at most one job number, got " + arguments);
                    return;
                }
                if (arguments.isEmpty()) {
                    for (Job job : jobs.values()) {
                        job.thread().join();
                    }
                    return;
                }
                Job job = arguments.get(0).matches("\\d{1,9}") ? jobs.get(Integer.parseInt(arguments.get(0))) : null;
                if (job == null) {
                    fail(err, "No background command [" + arguments.get(0) + "]; jobs lists them");
                    return;
                }
                job.thread().join();
            }
            default -> {
                if (live == null) {
                    fail(err, "Plugins can change while atnas runs in the OSGi runtime only: start the shell with atnas --runtime osgi shell");
                    return;
                }
                try {
                    out.println(switch (command) {
                        case "install" -> {
                            expect(command, arguments, 1, 1, "install FOLDER");
                            yield live.install(Path.of(arguments.get(0)));
                        }
                        case "update" -> {
                            expect(command, arguments, 1, 2, "update NAME [FOLDER]");
                            yield live.update(arguments.get(0), arguments.size() == 2 ? Path.of(arguments.get(1)) : null);
                        }
                        default -> {
                            expect(command, arguments, 1, 1, "uninstall NAME");
                            yield live.uninstall(arguments.get(0));
                        }
                    });
                }
                catch (IllegalArgumentException | PluginLoadException | UncheckedIOException e) {
                    fail(err, e.getMessage());
                }
            }
        }
    }

    private static void expect(String command, List<String> arguments, int least, int most, String usage)
    {
        if (arguments.size() < least || arguments.size() > most) {
            throw new IllegalArgumentException(command + " takes " + (least == most ? least : least + " or " + most) + (most == 1 ? " argument" : " arguments") + ", got " + arguments.size() + ": " + usage);
        }
    }

    private void fail(PrintWriter err, String message)
    {
        failed.set(true);
        err.println("error: " + message);
        err.flush();
    }

    /** Runs an atnas command in a thread of its own, its output in {@code job-N.log}. */
    private void start(Launcher launcher, LivePlugins live, List<String> words, String line)
            throws IOException
    {
        if (jobsDirectory == null) {
            jobsDirectory = Files.createTempDirectory("atnas-shell-");
        }
        int id = jobs.size() + 1;
        Path log = Files.createDirectories(jobsDirectory).resolve("job-" + id + ".log");
        PrintWriter output = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        Leased leased = lease(launcher, live);
        long started = System.nanoTime();
        Job job = new Job(id, line, log, started);
        job.thread = new Thread(() -> {
            int status = 1;
            try (output; leased) {
                status = launcher.using(leased.plugins(), output, output).execute(words.toArray(String[]::new));
            }
            finally {
                job.status = status;
                if (status != 0) {
                    failed.set(true);
                }
                launcher.out().println("[" + id + "] " + (status == 0 ? "done" : "failed (exit " + status + ")") + " after " + seconds(started) + ": " + line);
                launcher.out().flush();
            }
        }, "atnas-shell-job-" + id);
        jobs.put(id, job);
        launcher.out().println("[" + id + "] " + line + "  (output in " + log + ")");
        job.thread().start();
    }

    private static String seconds(long started)
    {
        return Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s";
    }

    private static Leased lease(Launcher launcher, LivePlugins live)
    {
        if (live == null) {
            return new Leased(launcher.scanPlugins(), null);
        }
        LivePlugins.Lease lease = live.lease();
        return new Leased(lease.scan(), lease);
    }

    /** The plugins a command runs with, and in the OSGi runtime the lease that holds them. */
    private record Leased(PluginLoader.Scan plugins, LivePlugins.Lease lease)
            implements AutoCloseable
    {
        @Override
        public void close()
        {
            if (lease != null) {
                lease.close();
            }
        }
    }

    private static final class Job
    {
        private final int id;
        private final String line;
        private final Path log;
        private final long started;
        private Thread thread;
        private volatile Integer status;

        Job(int id, String line, Path log, long started)
        {
            this.id = id;
            this.line = line;
            this.log = log;
            this.started = started;
        }

        int id()
        {
            return id;
        }

        String line()
        {
            return line;
        }

        Path log()
        {
            return log;
        }

        Thread thread()
        {
            return thread;
        }

        String state()
        {
            Integer ended = status;
            return ended == null ? "running " + seconds(started) : ended == 0 ? "done" : "failed (exit " + ended + ")";
        }
    }

    /**
     * A line's words as a POSIX shell splits them: blanks separate, single quotes keep everything,
     * double quotes keep blanks, a backslash outside single quotes keeps the next character; a
     * {@code #} at the start of a word begins a comment.
     *
     * @throws IllegalArgumentException for an unclosed quote
     */
    static List<String> words(String line)
    {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                }
                else {
                    word.append(c);
                }
            }
            else if (c == '\\' && i + 1 < line.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            }
            else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                }
                else {
                    word.append(c);
                }
            }
            else if (c == '\'' || c == '"') {
                word = word == null ? new StringBuilder() : word;
                quote = c;
            }
            else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            }
            else if (c == '#' && word == null) {
                break;
            }
            else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Unclosed " + (quote == '"' ? "double" : "single") + " quote in [" + line + "]");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
