package dev.usersync.accounts.account.rest;

import dev.usersync.accounts.account.service.AccountService;
import dev.usersync.accounts.web.AdminGuard;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** Support and administration: read any account, grant and revoke products. */
@Path("/v1/admin/accounts/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAccountResource {

    private final AccountService accounts;
    private final AdminGuard admin;

    public AdminAccountResource(AccountService accounts, AdminGuard admin) {
        this.accounts = accounts;
        this.admin = admin;
    }

    @GET
    public AccountView get(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        admin.require(headers);
        return AccountView.of(accounts.find(id));
    }

    /** Idempotent: granting a product the account has changes nothing and records no event. */
    @PUT
    @Path("/products/{product}")
    public AccountView grant(@Context HttpHeaders headers, @PathParam("id") UUID id,
            @PathParam("product") String product) {
        admin.require(headers);
        accounts.grant(id, product);
        return AccountView.of(accounts.find(id));
    }

    /** Idempotent: revoking a product the account lacks changes nothing and records no event. */
    @DELETE
    @Path("/products/{product}")
    public AccountView revoke(@Context HttpHeaders headers, @PathParam("id") UUID id,
            @PathParam("product") String product) {
        admin.require(headers);
        accounts.revoke(id, product);
        return AccountView.of(accounts.find(id));
    }
}
