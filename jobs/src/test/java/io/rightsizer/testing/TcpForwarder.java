package io.rightsizer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback port that forwards every connection to another port, byte for byte: a server behind it
 * is "down" until {@link #open} and again after {@link #close} (connections refused), as when a
 * registry restarts or the network to it fails, while the server itself keeps running.
 */
public final class TcpForwarder implements AutoCloseable {
    private final int port;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    /** Listens on {@code port} from {@link #open} on, forwarding to {@code target}. */
    public TcpForwarder(int port, int target) {
        this.port = port;
        this.target = target;
    }

    public synchronized TcpForwarder open() throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        ServerSocket s = server;
        Thread accept =
                new Thread(
                        () -> {
                            while (!s.isClosed()) {
                                try {
                                    Socket in = s.accept();
                                    Socket out =
                                            new Socket(InetAddress.getLoopbackAddress(), target);
                                    sockets.add(in);
                                    sockets.add(out);
                                    pipe(in, out);
                                    pipe(out, in);
                                } catch (IOException closed) {
                                    return;
                                }
                            }
                        },
                        "forward-" + port);
        accept.setDaemon(true);
        accept.start();
        return this;
    }

    private void pipe(Socket from, Socket to) {
        Thread t =
                new Thread(
                        () -> {
                            try (InputStream in = from.getInputStream();
                                    OutputStream out = to.getOutputStream()) {
                                in.transferTo(out);
                            } catch (IOException closed) {
                                // One side went away: so does the other.
                            } finally {
                                try {
                                    to.close();
                                    from.close();
                                } catch (IOException ignored) {
                                    // Already closed.
                                }
                            }
                        },
                        "pipe-" + port);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }
}
