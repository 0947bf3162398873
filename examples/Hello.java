import io.eventide.Eventide;
import io.eventide.http.HttpServer;

/**
 * Hello, hosted: `./eventide run examples/Hello.java`, then open http://127.0.0.1:8080/
 * ($PORT and $EVENTIDE_LOOPS override; /healthz, /readyz and /metrics come with the host;
 * Ctrl-C drains in-flight requests and exits 0).
 */
public class Hello {
    public static void main(String[] args) {
        HttpServer app = Eventide.http();
        app.get("/", (req, res) -> res.end("Hello from " + req.loop().name() + "!\n"));
        app.get("/hello/:name", (req, res) -> res.end("Hello, " + req.param("name") + "!\n"));
        app.get("/later", (req, res) -> req.loop().setTimeout(100, () -> res.end("...a timer later\n")));
        Eventide.start(app);
    }
}
