package instantid.text;

import instantid.common.UserException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StyleTemplatesTest {

    @Test
    void theAppsTemplatesInTheAppsOrder() {
        assertEquals(List.of("(No style)", "Watercolor", "Film Noir", "Neon", "Jungle", "Mars", "Vibrant Color", "Snow",
                "Line art"), StyleTemplates.names());
        for (String n : StyleTemplates.names()) {
            assertTrue(StyleTemplates.get(n).prompt().contains("{prompt}"), n);
        }
    }

    @Test
    void appliesAsApplyStyle() {
        StyleTemplates.Prompts p = StyleTemplates.apply("Film Noir", "a man", "blurry");
        assertEquals("film noir style, ink sketch|vector, a man highly detailed, sharp focus, ultra sharpness, monochrome,"
                + " high contrast, dramatic shadows, 1940s style, mysterious, cinematic", p.prompt());
        assertTrue(p.negativePrompt().startsWith("(lowres, low quality, worst quality:1.2), (text:1.2), watermark,"));
        assertTrue(p.negativePrompt().endsWith(", green blurry"), p.negativePrompt());
        // no negative of the user's: the template's and a space, as the app
        assertTrue(StyleTemplates.apply("Line art", "a cat", null).negativePrompt().endsWith("oil, acrylic "));
        assertEquals("waist-up \"a cat in a Jungle\" by Syd Mead, tangerine cold color palette, muted colors, detailed,"
                + " 8k,photo r3al,dripping paint,3d toon style,3d style,Movie Still", StyleTemplates.apply("jungle", "a cat", "").prompt());
        // (No style) leaves both as typed
        StyleTemplates.Prompts none = StyleTemplates.apply(StyleTemplates.NONE, "a cat", null);
        assertEquals("a cat", none.prompt());
        assertNull(none.negativePrompt());
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        UserException e = assertThrows(UserException.class, () -> StyleTemplates.get("Pastel"));
        assertTrue(e.getMessage().contains("Pastel") && e.getMessage().contains("Watercolor")
                && e.getMessage().contains("Line art"), e.getMessage());
    }
}
