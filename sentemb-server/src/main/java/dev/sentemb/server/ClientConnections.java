package dev.sentemb.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a waiting request's client has closed its connection, so its queued inputs can be dropped. Helidon SE 4.5
 * gives a handler no signal that its connection closed (nothing reads the socket while the handler runs), so this
 * asks the kernel: Linux lists every TCP connection with its state in {@code /proc/net/tcp} and {@code tcp6}. A
 * client that closed its side leaves ours in CLOSE_WAIT; one that reset it leaves no entry. One table read serves
 * every request that asks within {@link #REFRESH_NANOS}. Where the tables are absent (not Linux) or a connection
 * is never found in them, nothing is ever reported closed: requests then simply run to the end, as before.
 */
final class ClientConnections {
    static final long REFRESH_NANOS = 100_000_000L;
    private static final int ESTABLISHED = 0x01;

    private final List<Path> tables;
    private final long refreshNanos;
    private Map<String, Integer> states = Map.of(); // "local>remote" → TCP state; guarded by this
    private long readAt = Long.MIN_VALUE / 2; // guarded by this

    ClientConnections(List<Path> tables, long refreshNanos) {
        this.tables = tables.stream().filter(Files::isReadable).toList();
        this.refreshNanos = refreshNanos;
    }

    /** The kernel's tables of this machine (none where they do not exist). */
    static ClientConnections system() {
        return new ClientConnections(List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")), REFRESH_NANOS);
    }

    /** One request's connection, from the server's side. */
    Watch watch(SocketAddress local, SocketAddress remote) {
        if (tables.isEmpty() || !(local instanceof InetSocketAddress l) || !(remote instanceof InetSocketAddress r)
                || l.getAddress() == null || r.getAddress() == null) {
            return Watch.NEVER;
        }
        String key = key(l.getAddress(), l.getPort(), r.getAddress(), r.getPort());
        return new Watch() {
            private boolean seen; // found established once: only then does a missing entry mean the connection is gone

            @Override
            public boolean closed() {
                Integer state = snapshot().get(key);
                if (state == null) {
                    return seen;
                }
                seen = true;
                return state != ESTABLISHED; // CLOSE_WAIT (the client closed), or after a reset
            }
        };
    }

    /** Asked while a request waits. */
    interface Watch {
        Watch NEVER = () -> false;

        /** Whether the client has closed or reset the connection. */
        boolean closed();
    }

    private synchronized Map<String, Integer> snapshot() {
        long now = System.nanoTime();
        if (now - readAt >= refreshNanos) {
            Map<String, Integer> m = new HashMap<>();
            for (Path t : tables) {
                try {
                    for (String line : Files.readAllLines(t)) {
                        parse(line, m);
                    }
                } catch (IOException | RuntimeException e) {
                    // a table that cannot be read tells nothing; requests wait as they would without it
                }
            }
            states = m;
            readAt = now;
        }
        return states;
    }

    /** One line of the table ({@code sl local rem st ...}, addresses as hex words in host order, ports in hex) into m. */
    static void parse(String line, Map<String, Integer> m) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[0].endsWith(":")) {
            return; // the header
        }
        try {
            String[] local = f[1].split(":");
            String[] remote = f[2].split(":");
            m.put(key(address(local[0]), Integer.parseInt(local[1], 16), address(remote[0]), Integer.parseInt(remote[1], 16)),
                    Integer.parseInt(f[3], 16));
        } catch (RuntimeException | UnknownHostException e) {
            // a line of another shape is skipped
        }
    }

    /** The kernel's hex address: 8 (IPv4) or 32 (IPv6) hex digits, each 32-bit word in the host's byte order. */
    static InetAddress address(String hex) throws UnknownHostException {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new UnknownHostException("not an address: " + hex);
        }
        byte[] b = new byte[hex.length() / 2];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int w = 0; w < b.length / 4; w++) {
            int v = (int) Long.parseLong(hex.substring(w * 8, w * 8 + 8), 16);
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) (little ? v >>> (8 * i) : v >>> (8 * (3 - i)));
            }
        }
        return InetAddress.getByAddress(b); // an IPv4-mapped IPv6 address comes back as the IPv4 one
    }

    private static String key(InetAddress local, int localPort, InetAddress remote, int remotePort) {
        return local.getHostAddress() + "#" + localPort + ">" + remote.getHostAddress() + "#" + remotePort;
    }
}
