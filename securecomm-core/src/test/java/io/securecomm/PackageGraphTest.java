package io.securecomm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of securecomm-core's main sources, read from their import lines (the build's hygiene check
 * forbids inline qualified names, so the imports name every type used from another package): dependencies point
 * one way (docs/ARCHITECTURE.md, "Layering").
 */
class PackageGraphTest {
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^import\\s+(?:static\\s+)?(io\\.securecomm(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);
    private static final Pattern EXPORT = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** Package to the packages it imports from, without itself. */
    private static final Map<String, Set<String>> GRAPH = new TreeMap<>();
    private static final Set<String> EXPORTED = new TreeSet<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                if (file.getFileName().toString().equals("module-info.java")) {
                    Matcher m = EXPORT.matcher(source);
                    while (m.find()) {
                        EXPORTED.add(m.group(1));
                    }
                    continue;
                }
                Matcher p = PACKAGE.matcher(source);
                assertTrue(p.find(), "no package line in " + file);
                Set<String> uses = GRAPH.computeIfAbsent(p.group(1), k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(source);
                while (m.find()) {
                    if (!m.group(1).equals(p.group(1))) {
                        uses.add(m.group(1));
                    }
                }
            }
        }
        // Not vacuous: the sources were found, with the module's exports.
        assertTrue(GRAPH.size() >= 15, "read only " + GRAPH.size() + " packages under " + SOURCES.toAbsolutePath());
        assertTrue(EXPORTED.contains("io.securecomm.client"), "exports read: " + EXPORTED);
    }

    @Test
    void noPackageImportsOneThatImportsItBack() {
        List<List<String>> cycles = stronglyConnected().stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(), cycles, "package cycles (each list imports itself round); graph: " + GRAPH);
    }

    /**
     * The exported API finds the client's and the relay's implementations as services: it imports none of the
     * {@code io.securecomm.internal} packages that implement them, only {@code internal.files}, a leaf that imports
     * nothing of securecomm. (A layer's own helpers, such as {@code crypto.internal}, are below the API, not
     * implementations of it.)
     */
    @Test
    void exportedPackagesImportNoImplementation() {
        Map<String, Set<String>> offending = new TreeMap<>();
        for (String api : EXPORTED) {
            for (String used : GRAPH.getOrDefault(api, Set.of())) {
                boolean implementation = used.startsWith("io.securecomm.internal.");
                if (implementation && !used.equals("io.securecomm.internal.files")) {
                    offending.computeIfAbsent(api, k -> new TreeSet<>()).add(used);
                }
            }
        }
        assertEquals(Map.of(), offending);
        assertEquals(Set.of(), GRAPH.get("io.securecomm.internal.files"), "internal.files is a leaf");
    }

    /** Tarjan's strongly connected components, iteratively. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String root : GRAPH.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>(); // {node, iterator over its successors}
            index.put(root, index.size());
            low.put(root, index.get(root));
            stack.push(root);
            onStack.add(root);
            work.push(new Object[] {root, GRAPH.getOrDefault(root, Set.of()).iterator()});
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                String v = (String) frame[0];
                @SuppressWarnings("unchecked")
                Iterator<String> next = (Iterator<String>) frame[1];
                if (next.hasNext()) {
                    String w = next.next();
                    if (!index.containsKey(w)) {
                        index.put(w, index.size());
                        low.put(w, index.get(w));
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, GRAPH.getOrDefault(w, Set.of()).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = (String) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    List<String> component = new ArrayList<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    components.add(component);
                }
            }
        }
        return components;
    }
}
