package dev.usersync.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;

/** Local ports: whether something answers on one, and one nothing listens on. */
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

    /** A port nothing listens on now, for a server started beside others. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
