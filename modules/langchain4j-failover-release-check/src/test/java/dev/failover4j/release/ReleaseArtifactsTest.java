package dev.failover4j.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a Maven Central release needs from this reactor, checked in {@code mvn -B verify} so that a
 * missing piece fails CI instead of the release: every deployable jar module builds its sources and
 * Javadoc jars and names its automatic module, the BOM pins exactly the deployable jar modules and
 * leaks nothing, and the Central plugin leaves out exactly the modules that are never deployed.
 *
 * <p>"Deployable" is read from the poms, never listed here: a module in the root pom's
 * {@code <modules>} whose pom does not set {@code maven.deploy.skip}. The module builds last in the
 * reactor, so the other modules' {@code target/} directories hold this build's jars (CI builds from
 * a clean checkout; locally, a jar left from an earlier build can hide a removed plugin until
 * {@code mvn clean}).
 */
class ReleaseArtifactsTest {

    private static final String BOM = "langchain4j-failover-bom";

    private static Path root;
    private static String version;
    private static List<Module> reactor;
    private static Module parent;
    private static Module bom;

    record Module(Path dir, Document pom) {
        String artifactId() {
            return text(pom.getDocumentElement(), "artifactId");
        }

        String packaging() {
            String packaging = text(pom.getDocumentElement(), "packaging");
            return packaging.isEmpty() ? "jar" : packaging;
        }

        boolean deployed() {
            return !"true".equals(text(child(pom.getDocumentElement(), "properties"), "maven.deploy.skip"));
        }

        Path target(String classifier) {
            return dir.resolve("target").resolve(artifactId() + "-" + version + classifier + ".jar");
        }
    }

    @BeforeAll
    static void readReactor() {
        root = Path.of(System.getProperty("failover.reactorRoot", "../..")).toAbsolutePath().normalize();
        version = System.getProperty("failover.version");
        reactor = new ArrayList<>();
        collect(root, reactor);
        parent = reactor.get(0);
        bom = reactor.stream().filter(m -> m.artifactId().equals(BOM)).findFirst()
                .orElseThrow(() -> new AssertionError("the root pom lists no module " + BOM));
    }

    @Test
    void should_build_sources_and_javadoc_jars_when_a_jar_module_is_deployed() {
        // given
        List<Module> deployedJars = deployedJarModules();
        List<String> problems = new ArrayList<>();

        // when
        for (Module module : deployedJars) {
            problems.addAll(problemsOf(module));
        }

        // then
        assertThat(deployedJars).extracting(Module::artifactId)
                .contains("langchain4j-failover", "langchain4j-failover-testkit");
        assertThat(problems)
                .as("deployable modules need the maven-source-plugin and maven-javadoc-plugin in <build><plugins>"
                        + " (executions are in the parent's pluginManagement) and an Automatic-Module-Name")
                .isEmpty();
    }

    @Test
    void should_build_no_sources_or_javadoc_jar_when_a_module_is_never_deployed() {
        // given
        List<Module> skipped = reactor.stream().filter(m -> !m.deployed()).toList();

        // when
        List<Path> published = skipped.stream()
                .flatMap(m -> Stream.of(m.target("-sources"), m.target("-javadoc")))
                .filter(Files::exists)
                .toList();

        // then
        assertThat(skipped).extracting(Module::artifactId)
                .contains("failover-drill", "langchain4j-failover-benchmarks");
        assertThat(published).as("samples and benchmarks are never deployed").isEmpty();
    }

    @Test
    void should_pin_every_deployable_jar_module_when_the_bom_is_imported() {
        // given
        Set<String> deployable = deployedJarModules().stream().map(Module::artifactId)
                .collect(Collectors.toCollection(TreeSet::new));

        // when
        List<Element> pinned = children(child(child(bom.pom().getDocumentElement(), "dependencyManagement"),
                "dependencies"), "dependency");

        // then
        assertThat(pinned).extracting(d -> text(d, "artifactId"))
                .as("the BOM's dependencyManagement must pin exactly the deployable jar modules")
                .containsExactlyInAnyOrderElementsOf(deployable);
        assertThat(pinned).allSatisfy(d -> {
            assertThat(text(d, "groupId")).isEqualTo("dev.failover4j");
            assertThat(text(d, "version")).isEqualTo("${project.version}");
            assertThat(text(d, "scope")).as("no import or other scope in the BOM").isEmpty();
        });
    }

    @Test
    void should_leak_no_dependency_management_when_the_bom_is_imported() {
        // given
        Element project = bom.pom().getDocumentElement();

        // when
        String parentLangChain4j = text(child(parent.pom().getDocumentElement(), "properties"), "langchain4j.version");

        // then
        assertThat(child(project, "parent")).as("a parent's dependencyManagement would be imported with the BOM")
                .isNull();
        assertThat(bom.packaging()).isEqualTo("pom");
        assertThat(text(project, "version")).as("the BOM's version follows the reactor's").isEqualTo(version);
        assertThat(text(child(project, "properties"), "langchain4j.version"))
                .as("the LangChain4j version the BOM documents is the one the build uses")
                .isEqualTo(parentLangChain4j);
        assertThat(text(project, "description")).contains("langchain4j-bom " + parentLangChain4j);
    }

    @Test
    void should_carry_the_parents_central_metadata_when_the_bom_is_published() {
        for (String element : List.of("url", "licenses", "developers", "scm", "issueManagement")) {
            assertThat(normalized(child(bom.pom().getDocumentElement(), element)))
                    .as("<%s> of the BOM (it has no parent to inherit it from)", element)
                    .isNotEmpty()
                    .isEqualTo(normalized(child(parent.pom().getDocumentElement(), element)));
        }
    }

    @Test
    void should_exclude_exactly_the_never_deployed_modules_when_publishing_to_central() {
        // given
        Set<String> neverDeployed = reactor.stream().filter(m -> !m.deployed()).map(Module::artifactId)
                .collect(Collectors.toCollection(TreeSet::new));

        // when
        Element release = children(child(parent.pom().getDocumentElement(), "profiles"), "profile").stream()
                .filter(p -> text(p, "id").equals("release")).findFirst()
                .orElseThrow(() -> new AssertionError("the parent has no release profile"));
        Element central = children(child(child(release, "build"), "plugins"), "plugin").stream()
                .filter(p -> text(p, "artifactId").equals("central-publishing-maven-plugin")).findFirst()
                .orElseThrow(() -> new AssertionError("the release profile has no central-publishing-maven-plugin"));
        List<String> excluded = children(child(child(central, "configuration"), "excludeArtifacts"), "artifact")
                .stream().map(e -> e.getTextContent().trim()).toList();

        // then
        assertThat(excluded).as("excludeArtifacts = the modules whose pom sets maven.deploy.skip")
                .containsExactlyInAnyOrderElementsOf(neverDeployed);
    }

    private static List<Module> deployedJarModules() {
        return reactor.stream().filter(Module::deployed).filter(m -> m.packaging().equals("jar")).toList();
    }

    private static List<String> problemsOf(Module module) {
        List<String> problems = new ArrayList<>();
        String name = module.artifactId();
        Path jar = module.target("");
        Path sources = module.target("-sources");
        Path javadoc = module.target("-javadoc");
        if (!Files.exists(jar)) {
            return List.of(name + ": no " + root.relativize(jar) + " (does it build after this module?)");
        }
        try (JarFile main = new JarFile(jar.toFile())) {
            String moduleName = main.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
            if (moduleName == null || moduleName.isBlank()) {
                problems.add(name + ": no Automatic-Module-Name in its jar's manifest");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.exists(sources)) {
            problems.add(name + ": no " + root.relativize(sources));
        } else {
            Set<String> inJar = entries(sources);
            for (String source : sourceFiles(module.dir().resolve("src/main/java"))) {
                if (!inJar.contains(source)) {
                    problems.add(name + ": " + source + " is missing from its sources jar");
                }
            }
        }
        if (!Files.exists(javadoc)) {
            problems.add(name + ": no " + root.relativize(javadoc));
        } else {
            Set<String> inJar = entries(javadoc);
            if (!inJar.contains("index.html")) {
                problems.add(name + ": its Javadoc jar has no index.html");
            }
            inJar.stream().filter(e -> e.contains("/internal/")).findFirst()
                    .ifPresent(e -> problems.add(name + ": its Javadoc jar publishes an internal package (" + e + ")"));
        }
        return problems;
    }

    private static Set<String> entries(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> sourceFiles(Path sourceRoot) {
        if (!Files.isDirectory(sourceRoot)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> sourceRoot.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Path dir, List<Module> into) {
        Module module = new Module(dir, parse(dir.resolve("pom.xml")));
        into.add(module);
        for (Element child : children(child(module.pom().getDocumentElement(), "modules"), "module")) {
            collect(dir.resolve(child.getTextContent().trim()).normalize(), into);
        }
    }

    private static Document parse(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pom, e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? "" : element.getTextContent().trim();
    }

    private static String normalized(Element element) {
        return element == null ? "" : element.getTextContent().replaceAll("\\s+", " ").trim();
    }
}
