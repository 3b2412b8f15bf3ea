package dev.usersync.accounts.session.rest;

import dev.usersync.accounts.session.service.SignedIn;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request to a {@link SignedInCaller} endpoint. */
@RequestScoped
public class CurrentSignedIn {

    private SignedIn caller;

    void set(SignedIn caller) {
        this.caller = caller;
    }

    public SignedIn get() {
        if (caller == null) {
            throw new IllegalStateException("not a @SignedInCaller endpoint");
        }
        return caller;
    }
}
