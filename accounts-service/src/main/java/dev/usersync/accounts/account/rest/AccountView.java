package dev.usersync.accounts.account.rest;

import dev.usersync.accounts.account.model.Account;
import java.util.List;
import java.util.UUID;

/** The account as its owner sees it. */
public record AccountView(UUID id, String email, boolean emailVerified, String name, String locale, String timeZone,
        List<String> products, String status) {

    public static AccountView of(Account account) {
        return new AccountView(account.id, account.email, account.emailVerified, account.name, account.locale,
                account.timeZone, List.copyOf(account.products), account.status.name());
    }
}
