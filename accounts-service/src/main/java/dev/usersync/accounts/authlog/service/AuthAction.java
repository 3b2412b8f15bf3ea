package dev.usersync.accounts.authlog.service;

import java.util.Locale;

/** The authentication actions the auth log records. */
public enum AuthAction {
    SIGN_UP,
    LOGIN,
    LOGOUT,
    AUTHORIZE,
    TOKEN,
    TOKEN_REVOKE,
    REFRESH_TOKEN_REUSE,
    PASSWORD_CHANGE,
    PASSWORD_RESET_REQUEST,
    PASSWORD_RESET,
    EMAIL_VERIFY,
    ACCOUNT_CLOSE;

    /** As stored and searched: {@code sign-up}, {@code login}, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static AuthAction fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
