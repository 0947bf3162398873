package io.eventide.lab.servers;

import io.eventide.demo.Workload;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The standard workload on Jetty 12 the way most Java shops run it: servlets on a bounded
 * {@link QueuedThreadPool} of {@value #THREADS} platform threads, each request holding one thread
 * from start to end. {@code /delay} sleeps on that thread the way a JDBC call blocks it, and
 * {@code /cpu} computes on it; there is no separate worker pool ({@code offload} is ignored: the
 * request threads are the workers).
 *
 * <p>Environment: {@code PORT}, {@code JETTY_THREADS} (default {@value #THREADS}). Jetty's selector
 * and acceptor threads come out of the same pool, as in a default Jetty.
 *
 * <p><b>Threading:</b> {@link #main} runs once; servlets run on pool threads and block there.
 */
public final class JettyServer {
    /** Pool size: the common production default (Jetty's and Tomcat's maximum). */
    public static final int THREADS = 200;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JettyServer() {
    }

    /**
     * @param args unused
     * @throws Exception when Jetty does not start
     */
    public static void main(String[] args) throws Exception {
        int port = Env.get("PORT", 8080);
        int threads = Env.get("JETTY_THREADS", THREADS);
        QueuedThreadPool pool = new QueuedThreadPool(threads);
        pool.setName("jetty");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(Workload.BACKLOG);
        connector.setIdleTimeout(Workload.IDLE_TIMEOUT_SECONDS * 1000L);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new Plaintext()), "/plaintext");
        context.addServlet(new ServletHolder(new JsonServlet()), "/json");
        context.addServlet(new ServletHolder(new Echo()), "/echo");
        context.addServlet(new ServletHolder(new Delay()), "/delay");
        context.addServlet(new ServletHolder(new Cpu()), "/cpu");
        server.setHandler(context);
        server.start();
        ControlChannel.start("jetty-" + threads, connector.getLocalPort());
        server.join(); // blocking-ok: main thread of the Jetty process
    }

    private static void send(HttpServletResponse res, String type, byte[] body) throws IOException {
        res.setContentType(type);
        res.setContentLength(body.length);
        try (OutputStream out = res.getOutputStream()) {
            out.write(body);
        }
    }

    private static final class Plaintext extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            send(res, "text/plain", Workload.HELLO_BYTES);
        }
    }

    private static final class JsonServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            send(res, "application/json", MAPPER.writeValueAsBytes(new Workload.Message(Workload.HELLO)));
        }
    }

    private static final class Echo extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String type = req.getContentType();
            res.setContentType(type != null ? type : "application/octet-stream");
            try (InputStream in = req.getInputStream(); OutputStream out = res.getOutputStream()) {
                in.transferTo(out);
            }
        }
    }

    private static final class Delay extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            long ms = Workload.parse(req.getParameter("ms"), 0);
            try {
                Thread.sleep(ms); // blocking-ok: the point of the model; the thread is held, as by a blocking JDBC call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                res.sendError(503);
                return;
            }
            send(res, "text/plain", Workload.delayed(ms).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final class Cpu extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            int n = (int) Workload.parse(req.getParameter("n"), Workload.DEFAULT_CPU_N);
            send(res, "text/plain", Workload.cpuAnswer(n, Workload.cpu(n), "thread").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
