package io.eventide.pg.internal;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013, the stringprep profile of RFC 3454) for SCRAM passwords: map non-ASCII spaces
 * to a space and "commonly mapped to nothing" characters to nothing, normalise to NFKC, then refuse
 * prohibited characters and bad bidirectional text. As libpq and the server do, a password that
 * fails the profile is used as its raw UTF-8 bytes instead ({@link #prepare} returns null).
 */
final class SaslPrep {
    private SaslPrep() {
    }

    /** @return the prepared string, or null when the profile prohibits the input */
    static String prepare(String s) {
        StringBuilder mapped = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (mappedToNothing(cp)) {
                continue;
            }
            mapped.appendCodePoint(nonAsciiSpace(cp) ? ' ' : cp);
        }
        String n = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        boolean randAl = false;
        boolean l = false;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (prohibited(cp)) {
                return null;
            }
            byte d = Character.getDirectionality(cp);
            randAl |= d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            l |= d == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (randAl && (l || !isRandAl(n.codePointAt(0)) || !isRandAl(n.codePointBefore(n.length())))) {
            return null; // RFC 3454 section 6: RandAL text must not mix with L and must start and end RandAL
        }
        return n;
    }

    private static boolean isRandAl(int cp) {
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table B.1. */
    private static boolean mappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    /** RFC 3454 table C.1.2. */
    private static boolean nonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** RFC 3454 tables C.1.2 to C.9, and A.1 approximated by the JDK's Unicode version. */
    private static boolean prohibited(int cp) {
        return nonAsciiSpace(cp)
                || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)                      // C.2.1, C.2.2
                || cp == 0x06DD || cp == 0x070F || cp == 0x180E || cp == 0x200C || cp == 0x200D
                || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F)
                || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC) || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)         // C.3
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE                    // C.4
                || (cp >= 0xD800 && cp <= 0xDFFF)                                               // C.5
                || cp == 0xFFFD                                                                 // C.6
                || (cp >= 0x2FF0 && cp <= 0x2FFB)                                               // C.7
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F                 // C.8
                || (cp >= 0x202A && cp <= 0x202E)
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F)                            // C.9
                || !Character.isDefined(cp);                                                    // A.1
    }
}
