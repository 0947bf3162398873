-- wrk script: every request asks the server to close the connection, so wrk opens a new one (and,
-- over HTTPS, runs a full TLS handshake: wrk resumes no session) for each request.
wrk.headers["Connection"] = "close"
