package instantid.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A photo whose values were converted (16-bit scaled by its display range) says so in the settings, which read back. */
class PhotoNoteTest {

    private static InstantIdRequest request(Identity id) {
        GenerationSettings g = new GenerationSettings("a portrait", null, 4, 5.0, 64, 64, 7, "euler", 1, List.of());
        return new InstantIdRequest(g, List.of(id), 0, 1, null);
    }

    @Test
    void theConversionNoteIsWrittenAndReadBack() {
        float[] kps = {10, 10, 20, 10, 15, 15, 11, 20, 19, 20};
        String note = "face.tif: 16-bit, scaled to 8 bits by the display range 1000-3000";
        Identity id = new Identity(new float[] {1, 0, 0}, kps, 0.8, 0.8).withFaceBox(new float[] {5, 5, 25, 25}).withPhotoNote(note);
        String json = SettingsJson.toJson(SettingsJson.of(request(id), 7));
        Identity back = SettingsJson.readInstantId(json).identities().get(0);
        assertEquals(note, back.photoNote());
        assertEquals(4, back.faceBox().length, "the note keeps the face box");
    }

    @Test
    void anUnconvertedPhotoHasNoNote() {
        float[] kps = {10, 10, 20, 10, 15, 15, 11, 20, 19, 20};
        Identity id = new Identity(new float[] {1, 0, 0}, kps, 0.8, 0.8).withPhotoNote("  ");
        assertNull(id.photoNote());
        String json = SettingsJson.toJson(SettingsJson.of(request(id), 7));
        assertFalse(json.contains("photo_conversion"), json);
        assertNull(SettingsJson.readInstantId(json).identities().get(0).photoNote());
    }
}
