package dev.usersync.events;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The full current state of an account, carried by every event so that a consumer never needs an earlier one to
 * know where the account stands.
 *
 * @param id the account id
 * @param email the current email address
 * @param emailVerified whether the current email address has been proven
 * @param name the display name
 * @param locale a BCP 47 language tag, e.g. {@code en-GB}
 * @param timeZone an IANA time zone id, e.g. {@code Europe/Tallinn}
 * @param products the products the account may use, sorted
 * @param status whether the account is open or closed
 * @param legacyIds the account's user id in each product's legacy user table, by product
 * @param identities upstream identities linked to the account, sorted by provider then subject
 * @param signUp where the account came from (since schema version 2; {@code null} in older events), so a product that
 *     first meets the account through any of its events decides as it would on its sign-up
 */
public record AccountState(
        UUID id,
        String email,
        boolean emailVerified,
        String name,
        String locale,
        String timeZone,
        List<String> products,
        AccountStatus status,
        Map<String, String> legacyIds,
        List<LinkedIdentity> identities,
        SignUpContext signUp) {

    public AccountState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        products = products == null ? List.of() : List.copyOf(new TreeSet<>(products));
        legacyIds = Collections.unmodifiableSortedMap(legacyIds == null ? new TreeMap<>() : new TreeMap<>(legacyIds));
        identities = identities == null ? List.of()
                : identities.stream()
                        .sorted((a, b) -> a.provider().equals(b.provider())
                                ? a.subject().compareTo(b.subject())
                                : a.provider().compareTo(b.provider()))
                        .toList();
    }

    /** A state without sign-up context, as events before schema version 2 carry it. */
    public AccountState(UUID id, String email, boolean emailVerified, String name, String locale, String timeZone,
            List<String> products, AccountStatus status, Map<String, String> legacyIds,
            List<LinkedIdentity> identities) {
        this(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds, identities, null);
    }

    /** An active account with no products, legacy ids or identities yet. */
    public static AccountState of(UUID id, String email, boolean emailVerified, String name, String locale,
            String timeZone) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, List.of(), AccountStatus.ACTIVE,
                null, List.of());
    }

    public AccountState withProducts(List<String> products) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds,
                identities, signUp);
    }

    public AccountState withLegacyIds(Map<String, String> legacyIds) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds,
                identities, signUp);
    }

    public AccountState withIdentities(List<LinkedIdentity> identities) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds,
                identities, signUp);
    }

    public AccountState withStatus(AccountStatus status) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds,
                identities, signUp);
    }

    public AccountState withSignUp(SignUpContext signUp) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds,
                identities, signUp);
    }

    public AccountState withName(String name) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds,
                identities, signUp);
    }

    public AccountState withEmail(String email, boolean emailVerified) {
        return new AccountState(id, email, emailVerified, name, locale, timeZone, products, status, legacyIds,
                identities, signUp);
    }

    public boolean canUse(String product) {
        return status == AccountStatus.ACTIVE && products.contains(product);
    }
}
