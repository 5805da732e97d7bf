package dev.junction.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.junction.support.JunctionException;

/** Turns the user's route patterns (comma separated globs such as {@code routes/*.camel.yaml}) into files. */
public final class RouteFiles {

    private RouteFiles() {
    }

    /**
     * Every file that one of the patterns matches, in a stable order. A pattern that matches nothing is an error:
     * a typo must not start Junction with fewer flows than the user asked for.
     */
    public static List<Path> resolve(String patterns, Path workingDir) {
        List<Path> files = new ArrayList<>();
        for (String raw : patterns.split(",")) {
            String pattern = raw.trim();
            if (pattern.isEmpty()) {
                continue;
            }
            List<Path> matched = match(pattern, workingDir);
            if (matched.isEmpty()) {
                throw new JunctionException("no route file matches '" + pattern + "' (looked in "
                        + workingDir.resolve(pattern).getParent().normalize()
                        + "); fix --routes or JUNCTION_ROUTES, or create the file");
            }
            matched.stream().filter(p -> !files.contains(p)).forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new JunctionException("no route files given; pass --routes 'routes/*.camel.yaml' or set JUNCTION_ROUTES");
        }
        return files;
    }

    private static List<Path> match(String pattern, Path workingDir) {
        Path full = workingDir.resolve(pattern).normalize();
        Path dir = full.getParent();
        String glob = full.getFileName().toString();
        List<Path> matched = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return matched;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    matched.add(p.toAbsolutePath());
                }
            }
        } catch (IOException e) {
            throw new JunctionException("cannot read route directory " + dir + ": " + e.getMessage());
        }
        matched.sort(null);
        return matched;
    }

    /** True when one of the files contains {@code text} (for example a component scheme a flow needs). */
    public static boolean mention(List<Path> files, String text) {
        for (Path file : files) {
            try {
                if (Files.readString(file).contains(text)) {
                    return true;
                }
            } catch (IOException e) {
                throw new JunctionException("cannot read route file " + file + ": " + e.getMessage());
            }
        }
        return false;
    }
}
