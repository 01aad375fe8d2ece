package dev.seedling.testkit;

/** Element-wise comparison with absolute + relative tolerance, reporting the worst element. */
public final class Tolerance {
    private Tolerance() {}

    /** Asserts |actual-expected| <= atol + rtol*|expected| everywhere; the message names the first offender. */
    public static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        assertClose(what, expected, 0, actual, 0, expected.length, atol, rtol);
    }

    public static void assertClose(String what, float[] expected, int eOff, float[] actual, int aOff, int n,
                                   double atol, double rtol) {
        if (eOff + n > expected.length || aOff + n > actual.length)
            throw new AssertionError(what + ": length mismatch");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < n; i++) {
            double e = expected[eOff + i], a = actual[aOff + i];
            double err = Math.abs(a - e), allowed = atol + rtol * Math.abs(e);
            if (!(err <= allowed) || Double.isNaN(a) != Double.isNaN(e)) {
                throw new AssertionError(String.format("%s: element %d of %d differs: expected %.8g, got %.8g (|diff| %.3g > %.3g); seed %d",
                        what, i, n, e, a, err, allowed, Seeds.base()));
            }
            if (err > worst) {
                worst = err;
                worstAt = i;
            }
        }
    }

    public static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) throw new AssertionError(what + ": length mismatch");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            double err = Math.abs(a - e), allowed = atol + rtol * Math.abs(e);
            if (!(err <= allowed))
                throw new AssertionError(String.format("%s: element %d of %d differs: expected %.8g, got %.8g (|diff| %.3g > %.3g); seed %d",
                        what, i, expected.length, e, a, err, allowed, Seeds.base()));
        }
    }
}
