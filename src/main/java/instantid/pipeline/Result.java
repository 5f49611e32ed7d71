package instantid.pipeline;

import java.util.List;

/**
 * Images and the settings that made them: {@code settingsJson} holds every parameter (seeds
 * included) in the form the {@code generate} verb and the Fiji command read back, so the same
 * settings reproduce the same pixels on the same device.
 */
public record Result(List<Image> images, String settingsJson) {
}
