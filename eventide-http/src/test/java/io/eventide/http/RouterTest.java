package io.eventide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    final Handler a = (req, res) -> { };
    final Handler b = (req, res) -> { };
    final Handler c = (req, res) -> { };
    final Handler d = (req, res) -> { };

    @Test
    void literalsParamsWildcardsAndBacktracking() {
        Router r = new Router()
                .route("GET", "/users/:id", a)
                .route("GET", "/users/me", b)
                .route("GET", "/a/:x/c", c)
                .route("GET", "/a/b/d", d)
                .route("GET", "/static/*", a);
        assertThat(r.match("GET", "/users/me").handler()).isSameAs(b);
        assertThat(r.match("GET", "/users/42").params()).isEqualTo(Map.of("id", "42"));
        assertThat(r.match("GET", "/users/a%20b").params()).isEqualTo(Map.of("id", "a b"));
        assertThat(r.match("GET", "/a/b/c").params()).isEqualTo(Map.of("x", "b"));
        assertThat(r.match("GET", "/a/b/d").handler()).isSameAs(d);
        assertThat(r.match("GET", "/static/css/site.css").params()).isEqualTo(Map.of("*", "css/site.css"));
        assertThat(r.match("GET", "/users/").handler()).isNull();
        assertThat(r.match("GET", "/nothing").allowed()).isNull();
    }

    @Test
    void methodMismatchGivesAllowAndHeadFallsBackToGet() {
        Router r = new Router().route("GET", "/x", a).route("POST", "/x", b);
        Router.Match m = r.match("DELETE", "/x");
        assertThat(m.handler()).isNull();
        assertThat(m.allowed()).isEqualTo("GET, HEAD, POST");
        assertThat(r.match("HEAD", "/x").handler()).isSameAs(a);
        assertThat(r.match("GET", "/x/").handler()).isSameAs(a);
    }

    @Test
    void badPatternsAreRefused() {
        assertThatThrownBy(() -> new Router().route("GET", "x", a)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().route("GET", "/*/x", a)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().route("GET", "/x", a).route("GET", "/x", b))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().route("GET", "/:a", a).route("GET", "/:b/x", b))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRouterMountsUnderAPrefix() {
        Router api = new Router().route("GET", "/users/:id", a).route("POST", "/users", b).route("GET", "/", c);
        Router app = new Router().route("GET", "/", d).mount("/api/v1", api);
        assertThat(app.match("GET", "/api/v1/users/42").handler()).isSameAs(a);
        assertThat(app.match("GET", "/api/v1/users/42").params()).isEqualTo(Map.of("id", "42"));
        assertThat(app.match("GET", "/api/v1/users/42").pattern()).isEqualTo("/api/v1/users/:id");
        assertThat(app.match("POST", "/api/v1/users").handler()).isSameAs(b);
        assertThat(app.match("GET", "/api/v1").handler()).isSameAs(c);
        assertThat(app.match("GET", "/").handler()).isSameAs(d);
        assertThat(app.match("GET", "/users/42").handler()).isNull();
        assertThatThrownBy(() -> app.mount("api", api)).isInstanceOf(IllegalArgumentException.class);
    }
}
