package instantid.sample;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SeedsTest {

    @Test
    void seedsAreBelowTwoToTheFortyEighthAndExactInADouble() {
        assertEquals(1L << 48, Seeds.BOUND);
        assertEquals((1L << 48) - 1, Seeds.MAX);
        assertEquals(Seeds.MAX, (long) (double) Seeds.MAX, "a dialog's double field keeps the largest seed");
        assertTrue(Seeds.valid(0));
        assertTrue(Seeds.valid(Seeds.MAX));
        assertFalse(Seeds.valid(Seeds.BOUND));
        assertFalse(Seeds.valid(-1));
    }

    @Test
    void aNegativeSeedAsksForARandomOneInRange() {
        assertEquals(42, Seeds.resolve(42));
        assertEquals(0, Seeds.resolve(0));
        long above = 0;
        for (int i = 0; i < 2000; i++) {
            long r = Seeds.resolve(-1);
            assertTrue(Seeds.valid(r), "random seed " + r);
            if (r > Integer.MAX_VALUE) above++;
        }
        assertTrue(above > 1900, "the whole range is drawn, not an int's: " + above);
    }

    @Test
    void aRandomFirstSeedLeavesRoomForTheRest() {
        for (int i = 0; i < 2000; i++) {
            long first = Seeds.randomFirst(64);
            assertTrue(first >= 0 && Seeds.valid(first + 63), "first " + first);
        }
        assertTrue(Seeds.valid(Seeds.randomFirst(0)));
    }
}
