package dev.usersync.events;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Another account was merged into this one after its owner proved the shared email. Products map the merged
 * account's legacy user ids to this account.
 *
 * @param mergedAccountId the account that was absorbed (it receives an {@link AccountClosed} of its own)
 * @param mergedLegacyIds the absorbed account's legacy user ids, by product
 */
public record AccountsMerged(AccountState account, UUID mergedAccountId, Map<String, String> mergedLegacyIds)
        implements EventData {

    public AccountsMerged {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(mergedAccountId, "mergedAccountId");
        mergedLegacyIds = Collections.unmodifiableSortedMap(
                mergedLegacyIds == null ? new TreeMap<>() : new TreeMap<>(mergedLegacyIds));
    }

    public static AccountsMerged of(AccountState account, UUID mergedAccountId, Map<String, String> mergedLegacyIds) {
        return new AccountsMerged(account, mergedAccountId, mergedLegacyIds);
    }

    @Override
    public EventType type() {
        return EventType.ACCOUNTS_MERGED;
    }
}
