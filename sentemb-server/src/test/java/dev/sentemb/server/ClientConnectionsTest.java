package dev.sentemb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's TCP tables read as Linux writes them (little-endian hosts), and what a watch concludes from them. */
class ClientConnectionsTest {
    static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    static String line(String local, String remote, String state) {
        return "   3: " + local + " " + remote + " " + state + " 00000000:00000000 00:00000000 00000000     0        0 928918 1 0 20 4 1 22 -1";
    }

    @Test
    void parsesIpv4AndIpv6LinesAndSkipsTheRest() throws Exception {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the lines below are a little-endian host's");
        Map<String, Integer> m = new HashMap<>();
        ClientConnections.parse(HEADER, m);
        ClientConnections.parse(line("0100007F:1F90", "0100007F:D0C2", "01"), m); // 127.0.0.1:8080 ← 127.0.0.1:53442
        ClientConnections.parse(line("0000000000000000FFFF00000100007F:1F90", "0000000000000000FFFF00000100007F:D0C3", "08"), m); // v4-mapped
        ClientConnections.parse(line("00000000000000000000000001000000:1F90", "00000000000000000000000001000000:D0C4", "01"), m); // ::1
        ClientConnections.parse("garbage line", m);
        ClientConnections.parse(line("0100007F", "0100007F:D0C2", "01"), m); // no port
        assertEquals(Map.of("127.0.0.1#8080>127.0.0.1#53442", 1, "127.0.0.1#8080>127.0.0.1#53443", 8,
                "0:0:0:0:0:0:0:1#8080>0:0:0:0:0:0:0:1#53444", 1), m);
        assertEquals(InetAddress.getByName("192.0.2.2"), ClientConnections.address("020200C0"));
    }

    @Test
    void aWatchSaysClosedOnCloseWaitOrOnceASeenConnectionIsGone(@TempDir Path dir) throws Exception {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the lines below are a little-endian host's");
        Path table = dir.resolve("tcp");
        Files.writeString(table, HEADER + "\n" + line("0100007F:1F90", "0100007F:D0C2", "01") + "\n");
        ClientConnections c = new ClientConnections(List.of(table, dir.resolve("absent")), 0);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 8080);
        ClientConnections.Watch open = c.watch(server, new InetSocketAddress("127.0.0.1", 53442));
        ClientConnections.Watch unknown = c.watch(server, new InetSocketAddress("127.0.0.1", 40000));
        assertFalse(open.closed(), "established");
        assertFalse(unknown.closed(), "never seen: not known to be closed");
        Files.writeString(table, HEADER + "\n" + line("0100007F:1F90", "0100007F:D0C2", "08") + "\n");
        assertTrue(open.closed(), "CLOSE_WAIT: the client closed its side");
        Files.writeString(table, HEADER + "\n");
        assertTrue(open.closed(), "gone after being seen (reset)");
        assertFalse(unknown.closed(), "still never seen");

        ClientConnections none = new ClientConnections(List.of(dir.resolve("absent")), 0);
        assertFalse(none.watch(server, new InetSocketAddress("127.0.0.1", 53442)).closed(), "no tables: never closed");
    }
}
