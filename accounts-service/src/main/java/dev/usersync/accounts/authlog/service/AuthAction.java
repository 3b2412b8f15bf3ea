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
    /** An authorization code presented again: the session it gave ends. */
    CODE_REUSE,
    PASSWORD_CHANGE,
    PASSWORD_RESET_REQUEST,
    PASSWORD_RESET,
    EMAIL_VERIFY,
    EMAIL_CHANGE,
    EMAIL_CHANGE_UNDO,
    ACCOUNT_CLOSE,
    /** Support forced a password reset. */
    ADMIN_PASSWORD_RESET,
    /** Support cleared an account's brute-force lockouts. */
    ADMIN_UNLOCK,
    /** Support ended every session of an account. */
    ADMIN_END_SESSIONS,
    /** Support re-emitted an account's current state to every product. */
    ADMIN_RESYNC;

    /** As stored and searched: {@code sign-up}, {@code login}, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static AuthAction fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
