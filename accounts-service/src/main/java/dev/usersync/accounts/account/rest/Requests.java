package dev.usersync.accounts.account.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** Bodies of the account API. Values are checked further by the service (email shape, password policy). */
public final class Requests {

    private Requests() {
    }

    public record SignUp(@NotNull String email, @NotNull String password, String name, String locale,
            String timeZone, @NotBlank String product, String invitation) {
        @Override
        public String toString() {
            return "SignUp[product=" + product + "]";
        }
    }

    /** {@code currentPassword}: needed to change the email unless the last sign-in is recent. */
    public record ProfileChange(String email, String name, String locale, String timeZone, String currentPassword) {
        @Override
        public String toString() {
            return "ProfileChange";
        }
    }

    /** {@code currentPassword}: needed unless the last sign-in is recent. */
    public record PasswordChange(String currentPassword, @NotNull String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange";
        }
    }

    public record ResetRequest(@NotNull String email) {
    }

    public record ResetConfirm(@NotNull String token, @NotNull String newPassword) {
        @Override
        public String toString() {
            return "ResetConfirm";
        }
    }

    /** The token of an emailed link (verification, undoing an email change). */
    public record EmailLink(@NotNull String token) {
        @Override
        public String toString() {
            return "EmailLink";
        }
    }

    /** {@code password}: needed unless the last sign-in is recent. */
    public record Closure(String password) {
        @Override
        public String toString() {
            return "Closure";
        }
    }
}
