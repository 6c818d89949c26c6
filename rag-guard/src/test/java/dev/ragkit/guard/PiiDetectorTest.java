package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiDetectorTest {
    private final PiiDetector detector = PiiDetector.all();

    private List<String> found(PiiType type, String text) {
        return detector.find(text).stream().filter(m -> m.type() == type).map(PiiMatch::value).toList();
    }

    @Test
    void emails() {
        assertThat(found(PiiType.EMAIL, "Écrivez à jean.dupont+rag@exemple.fr ou à SUPPORT@Example.co.uk."))
                .containsExactly("jean.dupont+rag@exemple.fr", "SUPPORT@Example.co.uk");
        assertThat(found(PiiType.EMAIL, "not an address: user@localhost or @handle")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"06 12 34 56 78", "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78",
        "+33 (0)1 23 45 67 89", "0033 1 23 45 67 89", "+14155552671", "+44 20 7946 0958", "(555) 123-4567"})
    void phonesFrenchInternationalAndE164(String phone) {
        assertThat(found(PiiType.PHONE, "Appelez le " + phone + " demain.")).containsExactly(phone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"le 2023-04-16 11:30", "total 1 000 000 €", "en 2019 2020", "SSN 123-45-6789",
        "article 12", "code 12345"})
    void phoneLookAlikesAreNotPhones(String text) {
        assertThat(found(PiiType.PHONE, text)).isEmpty();
    }

    @Test
    void ibansOnlyWhenValid() {
        assertThat(found(PiiType.IBAN, "IBAN : FR76 3000 6000 0112 3456 7890 189 merci"))
                .containsExactly("FR76 3000 6000 0112 3456 7890 189");
        assertThat(found(PiiType.IBAN, "IBAN : FR76 3000 6000 0112 3456 7890 188 merci")).isEmpty();
        assertThat(found(PiiType.IBAN, "ref DE89370400440532013000.")).containsExactly("DE89370400440532013000");
    }

    @Test
    void cardsOnlyWithLuhnAndIssuer() {
        assertThat(found(PiiType.CARD, "card 4111 1111 1111 1111 exp 12/29")).containsExactly("4111 1111 1111 1111");
        assertThat(found(PiiType.CARD, "card 4111-1111-1111-1112")).isEmpty();
        assertThat(found(PiiType.CARD, "order 1234567812345678")).isEmpty();
        assertThat(found(PiiType.CARD, "amex 378282246310005")).containsExactly("378282246310005");
    }

    @Test
    void frenchNir() {
        String body = "2690549588157";
        String nir = body + String.format("%02d", dev.ragkit.guard.internal.Validators.nirKey(body));
        String spaced = nir.charAt(0) + " " + nir.substring(1, 3) + " " + nir.substring(3, 5) + " "
                + nir.substring(5, 7) + " " + nir.substring(7, 10) + " " + nir.substring(10, 13) + " " + nir.substring(13);
        assertThat(found(PiiType.NIR, "NIR " + spaced + ".")).containsExactly(spaced);
        String wrongKey = body + String.format("%02d", (dev.ragkit.guard.internal.Validators.nirKey(body) % 97) + 1);
        assertThat(found(PiiType.NIR, "NIR " + wrongKey)).isEmpty();
    }

    @Test
    void ipAddresses() {
        assertThat(found(PiiType.IP, "from 192.168.10.4 and 2001:db8::ff00:42:8329, not 999.1.1.1 or 10:30:00"))
                .containsExactly("192.168.10.4", "2001:db8::ff00:42:8329");
    }

    @Test
    void personNamesFrenchAndEnglish() {
        assertThat(found(PiiType.PERSON, "Le requérant, M. Jean-Pierre Durand, réside à Lyon."))
                .containsExactly("Jean-Pierre Durand");
        assertThat(found(PiiType.PERSON, "Mme Lefèvre a rencontré Marie Dupont hier.")).containsExactly("Lefèvre",
                "Marie Dupont");
        assertThat(found(PiiType.PERSON, "Please call John Smith, then ask Mr. O'Neil.")).contains("John Smith");
        assertThat(found(PiiType.PERSON, "Hello, my name is Zygmunt Brzęczyszczykiewicz."))
                .containsExactly("Zygmunt Brzęczyszczykiewicz");
        // an unlisted capitalised word with no title or cue is not a name; with a title it is, and again later
        assertThat(found(PiiType.PERSON, "Zorglub signed first. Then Zorglub left.")).isEmpty();
        assertThat(found(PiiType.PERSON, "M. Zorglub signed first. Then Zorglub left.")).containsExactly("Zorglub",
                "Zorglub");
    }

    @Test
    void listedSurnamesInitialsAndCuesWithoutAListedGivenName() {
        assertThat(found(PiiType.PERSON, "The report was written by Tuvok Koskinen last year."))
                .containsExactly("Tuvok Koskinen");
        assertThat(found(PiiType.PERSON, "Please change it to Soib K. Kishiev")).containsExactly("Soib K. Kishiev");
        assertThat(found(PiiType.PERSON, "\"We are glad,\" says Zorglub.")).containsExactly("Zorglub");
        assertThat(found(PiiType.PERSON, "Name: Tuvok Zorglub Phone: 555 0100")).contains("Tuvok Zorglub");
        assertThat(found(PiiType.PERSON, "I think Lindqvist and Zorglub were engineers.")).containsExactly("Lindqvist",
                "Zorglub");
    }

    @Test
    void firmsStreetsAndPlacesAreNotPeople() {
        assertThat(found(PiiType.PERSON, "She worked at Davis, Reynolds and Clark for a year.")).isEmpty();
        assertThat(found(PiiType.PERSON, "He lives on Rua Joaquim Silva near the market.")).isEmpty();
        assertThat(found(PiiType.PERSON, "He lives on Joaquim Silva 2906.")).isEmpty();
        assertThat(found(PiiType.PERSON, "My IBAN is in the letter; we moved to South Africa.")).isEmpty();
        assertThat(found(PiiType.PERSON, "The Princess Royal arrived this morning.")).isEmpty();
    }

    @Test
    void addressPartsAndFirmNamesWithTheirWordsInsideAreNotPeople() {
        // a street abbreviation and a house number, or a house number before the run on its line
        assertThat(found(PiiType.PERSON, "Our office is at 12 Bartok Bela u. 5.")).isEmpty();
        assertThat(found(PiiType.PERSON, "Send it to 1737 Maple Dr Annika Heights.")).isEmpty();
        // the town line of a postal address, and a town after a flat number and a comma
        assertThat(found(PiiType.PERSON, "Anna Lindqvist\n14 Elm Road\nSuite 200\nMadeleine\nCanada"))
                .containsExactly("Anna Lindqvist");
        assertThat(found(PiiType.PERSON, "Write to 9 Oak Road Apt. 3, Marta de Lucas, Spain 28001.")).isEmpty();
        // coordinated with a street, or inside "the corner of ... and ..."
        assertThat(found(PiiType.PERSON, "Please change it to Katrina and Rua Nova 46.")).isEmpty();
        assertThat(found(PiiType.PERSON, "Meet me at the corner of Mathias Row 7 and Elisabeth Parks.")).isEmpty();
        // a firm word inside the run or closing the list
        assertThat(found(PiiType.PERSON, "He drove for National Van Lines.")).isEmpty();
        assertThat(found(PiiType.PERSON, "The Clark, Romero and Hall Orchestra played.")).isEmpty();
        // a heading on the next line is not a street or firm word after the name
        assertThat(found(PiiType.PERSON, "Erik Lindqvist\n\nCourt clerk")).containsExactly("Erik Lindqvist");
        // a surname that is also an address word is still part of a name
        assertThat(found(PiiType.PERSON, "Ask Fletcher Hill about it.")).containsExactly("Fletcher Hill");
    }

    @Test
    void transcriptSpeakersAndCuesInLowerCaseText() {
        assertThat(found(PiiType.PERSON, "Mark: Where were you?\nMaria: At home.\nNote: nothing"))
                .containsExactly("Mark", "Maria");
        assertThat(found(PiiType.PERSON, "please block my card. my name is lena lindqvist."))
                .containsExactly("lena lindqvist");
        assertThat(found(PiiType.PERSON, "the rose garden is closed")).isEmpty();
    }

    @Test
    void everydayWordsThatAreAlsoNamesAreNotNames() {
        assertThat(found(PiiType.PERSON, "Will you grant access? Rose petals fall in May.")).isEmpty();
        assertThat(found(PiiType.PERSON, "The Court of Justice ruled on Monday.")).isEmpty();
    }

    @Test
    void matchesAreOrderedAndDoNotOverlap() {
        List<PiiMatch> all = detector.find("Marie Dupont, marie.dupont@example.fr, 06 12 34 56 78, 4111111111111111");
        assertThat(all).extracting(PiiMatch::type).containsExactly(PiiType.PERSON, PiiType.EMAIL, PiiType.PHONE,
                PiiType.CARD);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).start()).isGreaterThanOrEqualTo(all.get(i - 1).end());
        }
    }
}
