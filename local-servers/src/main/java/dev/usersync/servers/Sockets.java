package dev.usersync.servers;

import java.io.IOException;
import java.net.Socket;

/** Whether something answers on a local port. */
public final class Sockets {

    private Sockets() {
    }

    /** True when a TCP connection to {@code localhost:port} is accepted. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket("localhost", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
