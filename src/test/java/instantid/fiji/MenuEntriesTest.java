package instantid.fiji;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.plugin.Plugin;

/**
 * The menu as ImageJ 1 and Fiji build it from this build: plugins.config is the only source of
 * InstantID menu entries, every SciJava command has exactly one entry there, and the SciJava
 * discovery path (the plugin index Fiji reads, with imagej-legacy's rules for adding SciJava
 * commands and class-path plugins.config lines to the ImageJ 1 menus) adds no second entry.
 */
class MenuEntriesTest {

    static final Path INDEX = Path.of("target/classes/META-INF/json/org.scijava.plugin.Plugin");

    /** The InstantID commands in the SciJava plugin index (class name → its menuPath attribute or null). */
    static Map<String, String> indexedCommands() throws Exception {
        String json = Files.readString(INDEX, StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>();
        // one JSON object per plugin: {"class":"...","values":{"type":"org.scijava.command.Command",...}}
        Matcher m = Pattern.compile("\\{\"class\":\"([^\"]+)\",\"values\":\\{([^}]*)\\}\\}").matcher(json);
        while (m.find()) {
            if (!m.group(1).startsWith("instantid.") || !m.group(2).contains("\"org.scijava.command.Command\"")) continue;
            Matcher mp = Pattern.compile("\"menuPath\":\"([^\"]*)\"").matcher(m.group(2));
            out.put(m.group(1), mp.find() ? mp.group(1) : null);
        }
        return out;
    }

    @Test
    void everyCommandHasExactlyOneMenuEntryAndNoSciJavaMenuPath() throws Exception {
        assertTrue(Files.isRegularFile(INDEX), "the SciJava index is built by the annotation processor");
        Map<String, String> indexed = indexedCommands();
        assertTrue(indexed.size() >= 6, "commands in the index: " + indexed.keySet());
        List<MenuEntries.Entry> entries = MenuEntries.all();
        Set<String> labels = new HashSet<>(), classes = new HashSet<>();
        for (MenuEntries.Entry e : entries) {
            assertTrue(labels.add(e.label()), "label twice in plugins.config: " + e.label());
            assertTrue(classes.add(e.commandClass()), "command twice in plugins.config: " + e.commandClass());
            assertEquals("Plugins>InstantID", e.menu());
            assertTrue(indexed.containsKey(e.commandClass()), e.commandClass() + " is not a SciJava command in the index");
        }
        for (Map.Entry<String, String> c : indexed.entrySet()) {
            Class<?> k = Class.forName(c.getKey());
            if (java.lang.reflect.Modifier.isAbstract(k.getModifiers())) continue;
            assertTrue(classes.contains(c.getKey()), c.getKey() + " has no line in plugins.config (docs/imagej.md)");
            assertNull(c.getValue(), c.getKey() + " has a SciJava menuPath: Fiji would show it twice");
            assertTrue(k.getAnnotation(Plugin.class).menuPath().isEmpty() && k.getAnnotation(Plugin.class).menu().length == 0);
        }
        for (String want : new String[] {"Generate from Face...", "Seed Sweep...", "Compose Identities...", "Detect Faces",
                "Face Similarity...", "Settings / Models...", "Release Models"}) {
            assertTrue(labels.contains(want), "the menu lists " + want);
        }
    }

    /**
     * Fiji's menu, by imagej-legacy's rules: ImageJ 1 installs plugins.config from plugins/; then
     * IJ1Helper.addCommand adds class-path plugins.config lines whose label is not yet a command;
     * then IJ1Helper.addMenuItems adds every SciJava command with a menu path (overriding an
     * existing label). Every InstantID label ends up exactly once.
     */
    @Test
    void fijiDiscoveryAddsNoSecondEntry() throws Exception {
        Map<String, String> commands = new HashMap<>(); // ImageJ's command table
        List<String> menu = new ArrayList<>(); // the Plugins>InstantID items
        for (MenuEntries.Entry e : MenuEntries.all()) { // ImageJ 1 reading plugins/InstantID_Fiji-*.jar
            commands.put(e.label(), MenuEntries.PLUGIN);
            menu.add(e.label());
        }
        for (MenuEntries.Entry e : MenuEntries.all()) { // imagej-legacy reading plugins.config from the class path
            if (!commands.containsKey(e.label())) {
                commands.put(e.label(), MenuEntries.PLUGIN);
                menu.add(e.label());
            }
        }
        try (Context ctx = new Context(CommandService.class)) { // SciJava discovery, as Fiji's context does it
            for (CommandInfo info : ctx.service(CommandService.class).getCommands()) {
                if (!info.getClassName().startsWith("instantid.")) continue;
                if (info.getMenuPath() == null || info.getMenuPath().getLeaf() == null) continue;
                String leaf = info.getMenuPath().getLeaf().getName();
                if (!commands.containsKey(leaf)) menu.add(leaf);
                commands.put(leaf, info.getClassName());
            }
        }
        Set<String> seen = new HashSet<>();
        for (String m : menu) assertTrue(seen.add(m), "twice in Fiji's menu: " + m);
        assertEquals(MenuEntries.all().size(), menu.size());
        for (MenuEntries.Entry e : MenuEntries.all()) {
            assertEquals(MenuEntries.PLUGIN, commands.get(e.label()), e.label() + " runs through the one IJ1 path");
        }
    }

    @Test
    void everyInputLabelStartsWithItsMacroKey() {
        try (Context ctx = new Context(CommandService.class)) {
            for (MenuEntries.Entry e : MenuEntries.all()) {
                CommandInfo info = ctx.service(CommandService.class).getCommand(e.commandClass());
                assertNotNull(info, e.commandClass());
                assertTrue(Command.class.isAssignableFrom(info.loadDelegateClass()));
                for (ModuleItem<?> item : info.inputs()) {
                    if (org.scijava.service.Service.class.isAssignableFrom(item.getType()) || Context.class.isAssignableFrom(item.getType())) continue;
                    if (ij.ImagePlus.class.isAssignableFrom(item.getType()) || CommandDialog.isButton(item)
                            || CommandDialog.isMessage(item)) continue;
                    assertEquals(item.getName(), ij.Macro.trimKey(item.getLabel()), e.label() + ": the label '" + item.getLabel()
                            + "' must start with the macro key " + item.getName() + " (ImageJ records a field under its label's first word)");
                }
            }
        } catch (ClassNotFoundException x) {
            fail(x);
        }
    }

    /**
     * ImageJ's {@code Macro.getValue(options, "image")} finds "image=" inside "style_image=" (it only
     * refuses a key preceded by a letter, and '_' is none): no macro key of a command may end in
     * "_" + another of its keys, or a recorded line replays with the wrong value.
     */
    @Test
    void noMacroKeyEndsWithAnotherKeyOfTheSameCommand() {
        try (Context ctx = new Context(CommandService.class)) {
            for (MenuEntries.Entry e : MenuEntries.all()) {
                CommandInfo info = ctx.service(CommandService.class).getCommand(e.commandClass());
                java.util.List<String> keys = new java.util.ArrayList<>();
                for (ModuleItem<?> item : info.inputs()) {
                    if (org.scijava.service.Service.class.isAssignableFrom(item.getType()) || Context.class.isAssignableFrom(item.getType())) continue;
                    keys.add(item.getName());
                }
                for (String k : keys) {
                    for (String other : keys) {
                        assertFalse(!k.equals(other) && k.endsWith("_" + other), e.label() + ": the macro key " + k
                                + " ends with _" + other + ", so ImageJ reads " + other + "= inside " + k + "=");
                    }
                }
            }
        } catch (Exception x) {
            fail(x);
        }
    }

    @Test
    void parsesSeparatorsAndRejectsForeignLines() {
        var e = MenuEntries.parse("# c\nPlugins>InstantID, \"-\"\nPlugins>InstantID, \"A b...\", instantid.fiji.InstantIdPlugIn(\"x.Y\")\n");
        assertEquals(1, e.size());
        assertEquals("x.Y", e.get(0).commandClass());
        assertEquals(e.get(0), MenuEntries.parse("Plugins>InstantID, \"A b...\", instantid.fiji.InstantIdPlugIn(\"x.Y\")").get(0));
        assertThrows(IllegalStateException.class, () -> MenuEntries.parse("Plugins>InstantID, \"A\", other.Plugin(\"x\")"));
        assertNotNull(MenuEntries.forLabel("Generate from Face"), "a macro may leave out the dots");
        assertEquals("Generate from Face...", MenuEntries.labelOf(GenerateFromFace.class));
    }
}
