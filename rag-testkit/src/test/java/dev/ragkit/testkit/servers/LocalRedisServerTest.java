package dev.ragkit.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The real redis-server: started, written to, killed, restarted with its append-only file, stopped. */
class LocalRedisServerTest {

    @Test
    void keepsAppendOnlyDataAcrossAKillAndRestart() throws Exception {
        try (LocalRedisServer server = LocalRedisServer.start(true)) {
            assertThat(send(server, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n")).startsWith("+OK");
            // appendfsync everysec: give the server its second before the crash
            Thread.sleep(1_500);
            server.kill();
            assertThat(server.answersPing()).isFalse();

            server.restart();
            assertThat(send(server, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")).isEqualTo("$2\r\nv1\r\n");
        }
    }

    @Test
    void sharedServerIsOnePerJvm() {
        LocalRedisServer first = LocalRedisServer.shared();
        assertThat(LocalRedisServer.shared()).isSameAs(first);
        assertThat(first.url()).isEqualTo("redis://127.0.0.1:" + first.port());
        assertThat(first.answersPing()).isTrue();
    }

    private static String send(LocalRedisServer server, String command) throws IOException {
        try (Socket s = new Socket(server.host(), server.port())) {
            s.setSoTimeout(2_000);
            OutputStream out = s.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[256];
            int n = in.read(buffer);
            return new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }
}
