package dev.ragkit.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidatorsTest {
    @Test
    void luhnAcceptsValidAndRejectsOneDigitOff() {
        assertThat(Validators.luhn("4111111111111111")).isTrue();
        assertThat(Validators.luhn("4111111111111112")).isFalse();
        assertThat(Validators.luhn("79927398713")).isTrue();
        assertThat(Validators.luhn("")).isFalse();
    }

    @Test
    void cardNeedsIssuerRangeLengthAndLuhn() {
        assertThat(Validators.cardNetwork("4111111111111111")).isEqualTo("visa");
        assertThat(Validators.cardNetwork("5555555555554444")).isEqualTo("mastercard");
        assertThat(Validators.cardNetwork("2223003122003222")).isEqualTo("mastercard");
        assertThat(Validators.cardNetwork("378282246310005")).isEqualTo("amex");
        assertThat(Validators.cardNetwork("6011111111111117")).isEqualTo("discover");
        assertThat(Validators.isCardNumber("378282246310005")).isTrue();
        // Luhn-valid but no issuer starts with 9, and Amex has 15 digits, not 16.
        assertThat(Validators.isCardNumber("9111111111111119")).isFalse();
        assertThat(Validators.isCardNumber("3782822463100053")).isFalse();
        // Right issuer and length, wrong check digit.
        assertThat(Validators.isCardNumber("4111111111111112")).isFalse();
    }

    @Test
    void ibanChecksCountryLengthAndMod97() {
        assertThat(Validators.isIban("FR76 3000 6000 0112 3456 7890 189")).isTrue();
        assertThat(Validators.isIban("DE89370400440532013000")).isTrue();
        assertThat(Validators.isIban("gb82west12345698765432")).isTrue();
        assertThat(Validators.isIban("DE89370400440532013001")).as("check digits off").isFalse();
        assertThat(Validators.isIban("DE8937040044053201300")).as("one character short for DE").isFalse();
        assertThat(Validators.isIban("XX89370400440532013000")).as("unknown country").isFalse();
    }

    @Test
    void nirChecksKeyMonthAndCorsica() {
        String body = "1840375123456";
        String nir = body + String.format("%02d", Validators.nirKey(body));
        assertThat(Validators.isNir(nir)).isTrue();
        int wrong = Validators.nirKey(body) % 97 + 1;
        assertThat(Validators.isNir(body + String.format("%02d", wrong))).isFalse();
        String corsica = "290022A012345";
        assertThat(Validators.isNir(corsica + String.format("%02d", Validators.nirKey(corsica)))).isTrue();
        String badMonth = "1841375123456";
        assertThat(Validators.isNir(badMonth + String.format("%02d", Validators.nirKey(badMonth)))).isFalse();
        String badSex = "5840375123456";
        assertThat(Validators.isNir(badSex + String.format("%02d", Validators.nirKey(badSex)))).isFalse();
    }

    @Test
    void ipAddressesAndLookAlikes() {
        assertThat(Validators.isIpv4("192.168.1.20")).isTrue();
        assertThat(Validators.isIpv4("256.1.1.1")).isFalse();
        assertThat(Validators.isIpv4("01.2.3.4")).isFalse();
        assertThat(Validators.isIpv6("2001:db8::8a2e:370:7334")).isTrue();
        assertThat(Validators.isIpv6("fe80:0:0:0:202:b3ff:fe1e:8329")).isTrue();
        assertThat(Validators.isIpv6("::ffff:192.0.2.1")).isTrue();
        assertThat(Validators.isIpv6("10:30:00")).as("a time").isFalse();
        assertThat(Validators.isIpv6("1::2::3")).isFalse();
    }
}
