package dev.usersync.adapter.auth;

import jakarta.enterprise.context.RequestScoped;

/** The verified caller of the current request to a {@link ProductUser} endpoint. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("not a @ProductUser endpoint");
        }
        return caller;
    }
}
