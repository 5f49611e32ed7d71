package instantid.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback server with publish.djl.ai's layout for PyTorch natives: {@code /pytorch/2.7.1/files.txt}
 * listing {@code <flavor>/<platform>/native/lib/<lib>.gz} for several flavors, each gzip served with
 * Range support. The first request for the file named by {@link #cutOnce} is cut halfway (the
 * connection drops), as a flaky network does.
 */
final class LoopbackNatives implements AutoCloseable {

    /** Library name → its bytes, for cu128/linux-x86_64. */
    final Map<String, byte[]> libs = new LinkedHashMap<>();
    final Map<String, byte[]> served = new LinkedHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicBoolean cutDone = new AtomicBoolean();
    volatile String cutOnce;
    private final HttpServer server;

    LoopbackNatives() throws IOException {
        Random r = new Random(7);
        for (String n : List.of("libc10.so", "libtorch_cpu.so", "libcudart-218eec4c.so.12", "libtorch.so")) {
            byte[] b = new byte[300_000 + r.nextInt(50_000)];
            r.nextBytes(b);
            libs.put(n, b);
        }
        StringBuilder index = new StringBuilder();
        for (String flavor : List.of("cpu", "cu126", "cu128")) {
            for (Map.Entry<String, byte[]> e : libs.entrySet()) {
                String line = flavor + "/linux-x86_64/native/lib/" + e.getKey() + ".gz";
                index.append(line).append('\n');
                served.put("/pytorch/2.7.1/" + line, flavor.equals("cu128") ? gzip(e.getValue()) : gzip(new byte[] {1}));
            }
        }
        index.append("cu128/win-x86_64/native/lib/torch.dll.gz\n");
        served.put("/pytorch/2.7.1/files.txt", index.toString().getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, t -> {
            Thread th = new Thread(t, "loopback-natives");
            th.setDaemon(true);
            return th;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pytorch/2.7.1";
    }

    long requestsFor(String lib) {
        return requests.stream().filter(s -> s.contains("/" + lib + ".gz")).count();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(b);
        }
        return bo.toByteArray();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(path + (range == null ? "" : " " + range));
        try {
            byte[] body = served.get(path);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (cutOnce != null && path.endsWith("/" + cutOnce + ".gz") && cutDone.compareAndSet(false, true)) {
                ex.sendResponseHeaders(200, body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                out.close();
                return;
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body, from, body.length - from);
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
