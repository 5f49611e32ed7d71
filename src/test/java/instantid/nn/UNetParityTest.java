package instantid.nn;

import instantid.parity.Outcome;
import instantid.parity.Parity;
import instantid.parity.Runners;
import instantid.parity.FixturesTestAccess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The UNet and IdentityNet reference cases pass through the parity runners. */
class UNetParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"unet_sdxl_plain", "unet_sdxl_ip", "controlnet_identitynet"})
    void casePasses(String name) {
        Outcome o = Parity.runOne(FixturesTestAccess.requireFixtures().resolve(name), Runners.all());
        System.out.println(o.line(name));
        assertEquals(Outcome.Status.PASS, o.status(), o.line(name));
    }
}
