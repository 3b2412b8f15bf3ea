package dev.usersync.accounts.account.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventSchemas;
import dev.usersync.events.EventSigner;
import dev.usersync.events.SignUpContext;
import dev.usersync.events.Uuid7;
import dev.usersync.web.Problem;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The API's field rules and the event schema agree: whatever the API accepts, an event can carry. Odd but valid and
 * invalid emails, names, locales, time zones and invitation references are typed at the API; each accepted one goes
 * into an account state, a signed event is made of it, and the event must pass the schema every consumer checks.
 * Statistics make sure many values of each kind are accepted, so the property is not vacuous.
 */
class FieldRulesPropertiesTest {

    private static final EventSigner SIGNER = EventSigner.generate("field-rules");

    @Property(tries = 2000)
    void whateverTheApiAcceptsMakesASchemaValidEvent(@ForAll("emails") String email, @ForAll("names") String name,
            @ForAll("locales") String locale, @ForAll("zones") String zone,
            @ForAll("invitations") String invitation) {
        String acceptedEmail = accepted(Fields::email, email);
        String acceptedName = accepted(Fields::name, name);
        String acceptedLocale = accepted(Fields::locale, locale);
        String acceptedZone = accepted(Fields::timeZone, zone);
        String acceptedInvitation = accepted(Fields::invitation, invitation);
        Statistics.label("email accepted").collect(acceptedEmail != null);
        Statistics.label("name accepted").collect(acceptedName != null);
        Statistics.label("locale accepted").collect(acceptedLocale != null);
        Statistics.label("time zone accepted").collect(acceptedZone != null);
        Statistics.label("invitation accepted").collect(acceptedInvitation != null);
        for (String label : List.of("email", "name", "locale", "time zone", "invitation")) {
            Statistics.label(label + " accepted").coverage(c -> {
                c.check(true).percentage(p -> p >= 10);
                c.check(false).percentage(p -> p >= 10);
            });
        }

        UUID id = Uuid7.next();
        SignUpContext signUp = SignUpContext.of("track",
                acceptedInvitation == null ? null : SignUpContext.digest(acceptedInvitation));
        AccountState state = AccountState.of(id, acceptedEmail == null ? "ada@example.com" : acceptedEmail, false,
                acceptedName, acceptedLocale, acceptedZone).withProducts(List.of("track")).withSignUp(signUp);
        AccountEvent event = SIGNER.sign(AccountEvent.of(id, 1, Instant.now(), null, null,
                AccountCreated.of(state, signUp)).seal());

        assertThat(EventSchemas.validate(EventCodec.parse(EventCodec.toBytes(event))))
                .as("email %s, name %s, locale %s, zone %s, invitation %s", acceptedEmail, acceptedName,
                        acceptedLocale, acceptedZone, acceptedInvitation)
                .isEmpty();
    }

    @Test
    void oddButValidValuesAreAccepted() {
        assertThat(Fields.email(" o'brien+tag@mail.example.co.uk ")).isEqualTo("o'brien+tag@mail.example.co.uk");
        assertThat(Fields.email("x@host.local")).isEqualTo("x@host.local");
        assertThat(Fields.name("  Zoë 😀 O'Brien-Łukasz  ")).isEqualTo("Zoë 😀 O'Brien-Łukasz");
        assertThat(Fields.locale("zh-hant-tw")).isEqualTo("zh-Hant-TW");
        assertThat(Fields.timeZone("America/Argentina/Buenos_Aires")).isEqualTo("America/Argentina/Buenos_Aires");
        assertThat(Fields.invitation("inv-7Yq2_x")).isEqualTo("inv-7Yq2_x");
        assertThat(Fields.invitation("  ")).isNull();
    }

    /** The value the API keeps, or {@code null} when it answers 400. */
    private static String accepted(UnaryOperator<String> rule, String value) {
        try {
            return rule.apply(value);
        } catch (Problem refused) {
            assertThat(refused.status()).isEqualTo(400);
            return null;
        }
    }

    @Provide
    Arbitrary<String> emails() {
        Arbitrary<String> atom = Arbitraries.strings().withChars("abcXYZ019!#$%&'*+/=?^_`{|}~-.\" ()<>@,;:\\[]äß😀")
                .ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> label = Arbitraries.strings().withChars("abcxyzABC0129-_ä").ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(5).map(labels -> String.join(".", labels));
        Arbitrary<String> tld = Arbitraries.of("com", "local", "co.uk", "123", "x", "c0m", "-com", "com-", "xn--p1ai");
        Arbitrary<String> shaped = Combinators.combine(atom, domain, tld).as((l, d, t) -> l + "@" + d + "." + t);
        Arbitrary<String> plausible = Combinators.combine(Arbitraries.strings().alpha().numeric().withChars("._+-")
                .ofMinLength(1).ofMaxLength(20), Arbitraries.of("example.com", "mail.example.co.uk", "host.local"))
                .as((l, d) -> l + "@" + d);
        return Arbitraries.oneOf(shaped, plausible, Arbitraries.strings().ofMaxLength(300));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(250),
                Arbitraries.strings().alpha().withChars(" '-😀\u00A0\u200B").ofMaxLength(210),
                Arbitraries.strings().withChars("a\uD83D\uDE00\uD800\uDC00").ofMaxLength(20)).injectNull(0.05);
    }

    @Provide
    Arbitrary<String> locales() {
        List<String> real = java.util.Arrays.stream(Locale.getAvailableLocales()).map(Locale::toLanguageTag)
                .toList();
        return Arbitraries.oneOf(Arbitraries.of(real),
                Arbitraries.strings().withChars("abcdefghXYZ0129-_ ").ofMaxLength(50),
                Arbitraries.of(real).map(tag -> tag + "-x-" + "privateuse".repeat(3)),
                Arbitraries.of("und", "i-klingon", "en-GB-oed", "zh-min-nan", "sgn-BE-FR", "en-a-myext-b-another"))
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.oneOf(Arbitraries.of(List.copyOf(ZoneId.getAvailableZoneIds())),
                Arbitraries.of("+02:00", "UTC+1", "GMT-5", "Z", "Europe/Nowhere", "europe/tallinn", "Etc/GMT+5",
                        "SystemV/AST4", " Europe/Tallinn", ""),
                Arbitraries.strings().withChars("abAB/_+-09:").ofMaxLength(70)).injectNull(0.05);
    }

    @Provide
    Arbitrary<String> invitations() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(210),
                Arbitraries.strings().withChars("inv- \t\u00A0ä").ofMaxLength(20)).injectNull(0.2);
    }
}
