package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class TransportsTest {
    @Test
    void epollOnLinuxX8664UnlessNioIsForced() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean forcedNio = "nio".equals(System.getProperty("securecomm.transport"));
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")) && !forcedNio) {
            assertEquals("epoll", Transports.name(), "the optional native epoll library is on the class path");
        } else {
            assertTrue(Transports.name().equals("nio") || Transports.name().equals("epoll"));
        }
    }
}
