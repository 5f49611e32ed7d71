package instantid.dist;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds the update site from this build (plugin jar from target/classes, runtime jars from the
 * resolved class path), checks db.xml.gz the way the updater reads it, serves the site on
 * loopback and installs it into an empty Fiji-like folder exactly where the updater puts files,
 * then runs the installed plugin in a fresh JVM whose class path is that folder only.
 */
class UpdateSiteTest {

    @TempDir
    static Path tmp;
    static Path site;
    static List<Path> runtime;
    static Map<String, Element> plugins = new HashMap<>();

    @BeforeAll
    static void buildSite() throws Exception {
        Path cp = Path.of("target/runtime-classpath.txt");
        Assumptions.assumeTrue(Files.isRegularFile(cp), "target/runtime-classpath.txt missing: run through Maven");
        runtime = new ArrayList<>();
        for (String s : Files.readString(cp).trim().split(File.pathSeparator)) if (!s.isBlank()) runtime.add(Path.of(s));
        Path jar = pluginJar(tmp.resolve("instantid.jar"));
        site = tmp.resolve("site");
        UpdateSiteBuilder.build(jar, runtime, site);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setValidating(true); // against the DTD inside the file, like the updater's own validate()
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(new DefaultHandler() {
            @Override
            public void error(SAXParseException e) throws SAXParseException {
                throw e;
            }
        });
        Document doc;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(site.resolve("db.xml.gz")))) {
            doc = b.parse(in);
        }
        NodeList list = doc.getElementsByTagName("plugin");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            plugins.put(e.getAttribute("filename"), e);
        }
    }

    /** The plugin jar as maven-jar-plugin makes it: target/classes plus pom.properties with the version. */
    static Path pluginJar(Path out) throws Exception {
        Path classes = Path.of("target/classes");
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        String version = null;
        NodeList kids = pom.getDocumentElement().getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if ("version".equals(kids.item(i).getNodeName())) version = kids.item(i).getTextContent().trim();
        }
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(out)); Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, j);
                j.closeEntry();
            }
            j.putNextEntry(new JarEntry("META-INF/maven/io.github.instantid-fiji/instantid-fiji/pom.properties"));
            j.write(("groupId=io.github.instantid-fiji\nartifactId=instantid-fiji\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return out;
    }

    static Element version(Element plugin) {
        return (Element) plugin.getElementsByTagName("version").item(0);
    }

    static Path stored(Element plugin) {
        return site.resolve(plugin.getAttribute("filename") + "-" + version(plugin).getAttribute("timestamp"));
    }

    @Test
    void everyChecksumSizeAndTimestampIsWhatTheUpdaterComputes() throws Exception {
        assertFalse(plugins.isEmpty());
        for (Element p : plugins.values()) {
            String name = p.getAttribute("filename");
            Path f = stored(p);
            assertTrue(Files.isRegularFile(f), "site lacks " + f);
            Element v = version(p);
            assertEquals(UpdaterChecksum.of(name, f), v.getAttribute("checksum"), name);
            assertEquals(Files.size(f), Long.parseLong(v.getAttribute("filesize")), name);
            assertTrue(v.getAttribute("timestamp").matches("\\d{14}"), name);
            assertTrue(name.startsWith("plugins/") || name.startsWith("jars/"), name);
            NodeList platforms = p.getElementsByTagName("platform");
            if (name.matches("jars/[^/]+/.*")) {
                assertEquals(1, platforms.getLength(), name);
                assertEquals(name.split("/")[1], platforms.item(0).getTextContent(), "platform folder = platform tag");
            }
        }
    }

    @Test
    void everyRuntimeDependencyIsInTheSiteOrProvidedByFiji() throws Exception {
        Element plugin = plugins.values().stream().filter(p -> p.getAttribute("filename").startsWith("plugins/InstantID_Fiji-"))
                .findFirst().orElseThrow();
        List<String> deps = new ArrayList<>();
        NodeList dl = version(plugin).getElementsByTagName("dependency");
        for (int i = 0; i < dl.getLength(); i++) deps.add(((Element) dl.item(i)).getAttribute("filename"));
        for (String d : deps) assertTrue(plugins.containsKey(d), "dependency " + d + " is not in the site");
        for (Path r : runtime) {
            String[] gav = UpdateSiteBuilder.coordinates(r);
            if (FijiProvided.provides(gav[1])) continue;
            String base = UpdateSiteBuilder.siteName(gav) + "-" + gav[2];
            assertTrue(deps.stream().anyMatch(d -> d.substring(d.lastIndexOf('/') + 1).startsWith(base)),
                    r.getFileName() + " is neither shipped nor in FijiProvided");
        }
        // nothing Fiji ships is duplicated, and what the pom marks provided is listed as Fiji's
        for (String name : plugins.keySet()) {
            for (String a : FijiProvided.ARTIFACTS.keySet()) {
                assertFalse(name.matches("jars/(.*/)?" + java.util.regex.Pattern.quote(a) + "-\\d.*"), name + " duplicates Fiji's " + a);
            }
        }
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList ds = pom.getElementsByTagName("dependency");
        for (int i = 0; i < ds.getLength(); i++) {
            Element d = (Element) ds.item(i);
            NodeList scope = d.getElementsByTagName("scope");
            if (scope.getLength() > 0 && scope.item(0).getTextContent().trim().equals("provided")) {
                String a = d.getElementsByTagName("artifactId").item(0).getTextContent().trim();
                assertTrue(FijiProvided.provides(a), "provided dependency " + a + " not in FijiProvided");
            }
        }
    }

    @Test
    void installsIntoAnEmptyFijiFromLoopbackAndThePluginRuns() throws Exception {
        Path fiji = Files.createDirectories(tmp.resolve("Fiji.app"));
        // what Fiji already ships, taken from this build's class path (provided + FijiProvided artifacts)
        Path jars = Files.createDirectories(fiji.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!p.toString().endsWith(".jar")) continue;
            String n = p.getFileName().toString();
            for (String a : FijiProvided.ARTIFACTS.keySet()) {
                if (n.matches(java.util.regex.Pattern.quote(a) + "-\\d.*\\.jar")) Files.copy(p, jars.resolve(n), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/site/", ex -> {
            Path f = site.resolve(ex.getRequestURI().getPath().substring("/site/".length())).normalize();
            if (!f.startsWith(site) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, Files.size(f));
                try (OutputStream o = ex.getResponseBody()) {
                    Files.copy(f, o);
                }
            }
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/site/";
        String platform = UpdateSiteBuilder.currentPlatform();
        try {
            // 1. the index, as XMLFileReader fetches it
            Document doc;
            try (InputStream in = new GZIPInputStream(URI.create(url + "db.xml.gz").toURL().openStream())) {
                doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            }
            NodeList list = doc.getElementsByTagName("plugin");
            int installed = 0;
            for (int i = 0; i < list.getLength(); i++) {
                Element p = (Element) list.item(i);
                NodeList pl = p.getElementsByTagName("platform");
                boolean forUs = pl.getLength() == 0;
                for (int k = 0; k < pl.getLength(); k++) forUs |= pl.item(k).getTextContent().equals(platform);
                if (!forUs) continue;
                // 2. Installer: <url><filename>-<timestamp> into update/<filename>, verified like VerifyFiles
                String name = p.getAttribute("filename");
                Element v = version(p);
                Path dest = fiji.resolve("update").resolve(name);
                Files.createDirectories(dest.getParent());
                try (InputStream in = URI.create(url + name.replace(" ", "%20") + "-" + v.getAttribute("timestamp")).toURL().openStream()) {
                    Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
                }
                assertEquals(Long.parseLong(v.getAttribute("filesize")), Files.size(dest), name);
                assertEquals(v.getAttribute("checksum"), UpdaterChecksum.of(name, dest), name);
                installed++;
            }
            assertTrue(installed >= 2);
            // 3. moveUpdatedIntoPlace: update/<path> -> <path>
            Path update = fiji.resolve("update");
            try (Stream<Path> s = Files.walk(update)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Path to = fiji.resolve(update.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.move(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            server.stop(0);
        }
        List<Path> pluginJars;
        try (Stream<Path> s = Files.list(fiji.resolve("plugins"))) {
            pluginJars = s.toList();
        }
        assertEquals(1, pluginJars.size());
        assertTrue(pluginJars.get(0).getFileName().toString().matches("InstantID_Fiji-.+\\.jar"));
        assertTrue(Files.isRegularFile(jars.resolve("djl-api-0.36.0.jar")));
        assertTrue(Files.isRegularFile(jars.resolve("onnxruntime-1.29.0.jar")));
        if (platform.equals("linux64")) {
            assertTrue(Files.isRegularFile(jars.resolve("linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar")));
        }

        // 4. the class path Fiji's launcher builds: jars/*.jar, jars/*/*.jar, plugins/*.jar
        List<Path> cp = new ArrayList<>();
        try (Stream<Path> s = Files.walk(jars)) {
            cp.addAll(s.filter(p -> p.toString().endsWith(".jar")).sorted().toList());
        }
        cp.addAll(pluginJars);
        List<URL> urls = new ArrayList<>();
        for (Path p : cp) urls.add(p.toUri().toURL());
        try (URLClassLoader cl = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
             JarFile pj = new JarFile(pluginJars.get(0).toFile())) {
            int classes = 0;
            for (JarEntry e : Collections.list(pj.entries())) {
                if (!e.getName().endsWith(".class") || e.getName().contains("-")) continue;
                Class<?> c = Class.forName(e.getName().replace('/', '.').replaceAll("\\.class$", ""), false, cl);
                assertEquals(cl, c.getClassLoader(), "loaded from the installed plugin, not the test class path");
                classes++;
            }
            assertTrue(classes > 10);
            JarEntry index = pj.getJarEntry("META-INF/json/org.scijava.plugin.Plugin");
            assertNotNull(index, "the installed plugin jar has no SciJava plugin index: Fiji would find no commands");
            {
                @SuppressWarnings("unchecked")
                Class<? extends Annotation> pluginAnn = (Class<? extends Annotation>) Class.forName("org.scijava.plugin.Plugin", false, cl);
                String json = new String(pj.getInputStream(index).readAllBytes(), StandardCharsets.UTF_8);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"class\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
                int n = 0;
                while (m.find()) {
                    Class<?> c = Class.forName(m.group(1), false, cl);
                    assertNotNull(c.getAnnotation(pluginAnn), m.group(1) + " is indexed but not annotated @Plugin");
                    n++;
                }
                assertTrue(n > 0, "empty SciJava plugin index");
                // the menu comes from the jar's plugins.config (read by ImageJ 1 in Fiji), each entry a command of the index
                JarEntry config = pj.getJarEntry("plugins.config");
                assertNotNull(config, "the installed plugin jar has no plugins.config: no Plugins>InstantID menu");
                String menu = new String(pj.getInputStream(config).readAllBytes(), StandardCharsets.UTF_8);
                java.util.regex.Matcher cm = java.util.regex.Pattern.compile("InstantIdPlugIn\\(\"([^\"]+)\"\\)").matcher(menu);
                int entries = 0;
                while (cm.find()) {
                    assertTrue(json.contains("\"" + cm.group(1) + "\""), cm.group(1) + " is in plugins.config but not in the SciJava index");
                    entries++;
                }
                for (String label : new String[] {"Generate from Face...", "Detect Faces", "Face Similarity...",
                        "Settings / Models...", "Compose Identities...", "Release Models"}) {
                    assertTrue(menu.contains("Plugins>InstantID, \"" + label + "\""), "no Plugins>InstantID>" + label);
                }
                assertTrue(entries >= 6);
                assertFalse(json.contains("\"menuPath\":\"Plugins>InstantID"), "a SciJava menuPath would show a second entry in Fiji");
            }
        }

        // 5. a fresh JVM with only the installed Fiji folder on its class path: the engine loads
        //    from the installed natives and the CLI entry point of the plugin runs
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder cpArg = new StringBuilder();
        for (Path p : cp) cpArg.append(cpArg.length() == 0 ? "" : File.pathSeparator).append(p);
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", cpArg.toString(), "instantid.cli.Main", "models",
                "--dir", tmp.resolve("models").toString(), "--natives");
        pb.redirectErrorStream(true);
        pb.environment().put("DJL_OFFLINE", "true");
        Process proc = pb.start();
        byte[] out;
        try (InputStream in = proc.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(proc.waitFor(180, TimeUnit.SECONDS), "the installed plugin did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, proc.exitValue(), text);
        assertTrue(text.contains("Engine: PyTorch 2.7.1"), text);
        assertTrue(text.contains("[missing] IdentityNet"), text);
    }
}
