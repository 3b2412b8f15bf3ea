package dev.usersync.accounts.mail;

import dev.usersync.accounts.config.AccountsConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Emailed links. Sent after the transaction that made the token commits, and without waiting for the mail server,
 * so that "an account exists" and "it does not" take the same time to answer.
 */
@ApplicationScoped
public class Mails {

    private static final Logger LOG = Logger.getLogger(Mails.class);

    private final ReactiveMailer mailer;
    private final AccountsConfig.Mail config;

    public Mails(ReactiveMailer mailer, AccountsConfig config) {
        this.mailer = mailer;
        this.config = config.mail();
    }

    public void verification(String to, String token) {
        send(Mail.withText(to, "Confirm your email address",
                "Open this link to confirm that this address is yours:\n\n" + link("/verify-email", token)
                        + "\n\nIf you did not ask for this, ignore this mail."));
    }

    public void passwordReset(String to, String token) {
        send(Mail.withText(to, "Reset your password",
                "Open this link to choose a new password:\n\n" + link("/reset-password", token)
                        + "\n\nThe link works once, for " + config.resetTtl().toMinutes() + " minutes. "
                        + "If you did not ask for this, ignore this mail; your password is unchanged."));
    }

    /** Tells the address an account just left, with a link that undoes the change. */
    public void emailChanged(String oldAddress, String newAddress, String undoToken) {
        send(Mail.withText(oldAddress, "Your email address was changed",
                "The email address of your account was changed to " + newAddress + ".\n\n"
                        + "If you did not do this, open this link: it gives your account back this address, signs "
                        + "everyone out and lets you choose a new password:\n\n" + link("/undo-email-change", undoToken)
                        + "\n\nThe link works once, for " + config.undoTtl().toDays() + " days."));
    }

    /** Tells the account's address that its password was changed, and how to take the account back if not by them. */
    public void passwordChanged(String to) {
        send(Mail.withText(to, "Your password was changed",
                "The password of your account was just changed, and every other session signed out.\n\n"
                        + "If you did not do this, reset your password now: " + config.linkBaseUrl()
                        + "/reset-password"));
    }

    private String link(String page, String token) {
        return config.linkBaseUrl() + page + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private void send(Mail mail) {
        mailer.send(mail.setFrom(config.from())).subscribe().with(
                sent -> { },
                failure -> LOG.warnf("a mail could not be sent: %s", failure.getMessage()));
    }
}
