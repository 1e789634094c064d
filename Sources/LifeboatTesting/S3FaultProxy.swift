import Foundation

/// A tiny HTTP proxy in front of an S3 endpoint that injects failures, for retry tests.
///
/// It is a Python `http.server` in a subprocess (Python is already needed by `moto_server`). The
/// first `failFirst` requests get `status` with a real S3 XML error body (`<Error><Code>…`); later
/// requests are forwarded to the upstream (or answered `200` with an empty body when there is none).
/// With `truncateFirstDownload`, the first forwarded GET that carries a body is cut in the middle
/// (the connection closes after half of the announced `Content-Length`). With `stallFirst`, the first
/// requests after the injected errors wait `stallSeconds` before being forwarded (a server too slow to answer).
public struct S3FaultProxy: Sendable {
    /// The loopback port the proxy listens on.
    public let port: Int

    /// `http://127.0.0.1:<port>`.
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// What the proxy has seen so far.
    public struct Statistics: Sendable, Hashable, Decodable {
        /// Requests received (the statistics requests excluded).
        public var requests: Int
        /// Requests answered with the injected error.
        public var failed: Int
        /// Requests forwarded upstream.
        public var forwarded: Int
        /// Requests that were held back before being forwarded.
        public var stalled: Int
        /// `Range` headers seen on forwarded requests, in order.
        public var ranges: [String]
    }

    /// Reads the proxy's counters.
    public func statistics() throws -> Statistics {
        let (status, body) = try S3FixtureSupport.loopbackRequest(port: port, method: "GET", path: "/__fault_proxy_stats")
        guard status == 200 else { throw S3FixtureError("fault proxy statistics: HTTP \(status)") }
        return try JSONDecoder().decode(Statistics.self, from: Data(body.utf8))
    }

    static let script = #"""
import http.client, http.server, json, signal, sys, threading, time
signal.pthread_sigmask(signal.SIG_SETMASK, [])  # the test runner starts children with SIGTERM blocked
port, upstream, fail_first, status, code, truncate = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6] == "1"
stall_first, stall_seconds = int(sys.argv[7]), float(sys.argv[8])
fail_matching = sys.argv[9]
matched = {"count": 0}
lock = threading.Lock()
stats = {"requests": 0, "failed": 0, "forwarded": 0, "stalled": 0, "ranges": []}
state = {"truncated": False}
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def handle_any(self):
        if self.path == "/__fault_proxy_stats":
            with lock: body = json.dumps(stats).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body); return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            stats["requests"] += 1
            number = stats["requests"]
            if fail_matching:
                if fail_matching in self.path: matched["count"] += 1
                inject = fail_matching in self.path and matched["count"] <= fail_first
            else:
                inject = number <= fail_first
            if inject: stats["failed"] += 1
        if inject:
            xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>%s</Code><Message>injected failure %d</Message>"
                   "<RequestId>fault-%d</RequestId></Error>" % (code, number, number)).encode()
            self.send_response(status); self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(xml))); self.end_headers()
            if self.command != "HEAD": self.wfile.write(xml)
            return
        with lock:
            stall = (number if fail_matching else number - fail_first) <= stall_first
            if stall: stats["stalled"] += 1
        if stall:
            time.sleep(stall_seconds)
        if upstream == 0:
            self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers(); return
        with lock:
            stats["forwarded"] += 1
            if "Range" in self.headers: stats["ranges"].append(self.headers["Range"])
        conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length": self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        cut = False
        with lock:
            if truncate and self.command == "GET" and len(data) > 1 and not state["truncated"] and "?" not in self.path:
                state["truncated"] = True; cut = True
        if cut:
            self.send_header("Connection", "close"); self.end_headers()
            self.wfile.write(data[: len(data) // 2]); self.wfile.flush()
            self.close_connection = True
            return
        self.end_headers()
        if self.command != "HEAD": self.wfile.write(data)
    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""#
}

/// Runs `body` with an ``S3FaultProxy`` in front of `upstreamPort` (0: no upstream) and stops it afterwards.
///
/// - Parameters:
///   - failFirst: how many requests get the injected error.
///   - failMatching: when set, only requests whose path and query contain this text are counted and
///     failed (e.g. `partNumber=2`).
///   - status: the injected HTTP status (503 by default).
///   - code: the injected S3 error code (`SlowDown` by default).
///   - truncateFirstDownload: cut the first forwarded GET of an object in the middle.
///   - stallFirst: how many requests (after the failed ones) wait `stallSeconds` before being forwarded.
public func withS3FaultProxy<T>(
    upstreamPort: Int,
    failFirst: Int,
    failMatching: String = "",
    status: Int = 503,
    code: String = "SlowDown",
    truncateFirstDownload: Bool = false,
    stallFirst: Int = 0,
    stallSeconds: Double = 0,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (S3FaultProxy) async throws -> T
) async throws -> T {
    guard let python = S3FixtureSupport.executable(named: "python3") else {
        throw S3FixtureError("python3 is not on PATH: the S3 fault proxy needs it")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("s3-fault-proxy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let scriptPath = directory.appendingPathComponent("proxy.py").path
    let logPath = directory.appendingPathComponent("proxy.log").path
    try S3FaultProxy.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    let port = try S3FixtureSupport.freeLoopbackPort()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [
        scriptPath, String(port), String(upstreamPort), String(failFirst), String(status), code,
        truncateFirstDownload ? "1" : "0", String(stallFirst), String(stallSeconds), failMatching,
    ]
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    try process.run()
    try? log.close()
    let proxy = S3FaultProxy(port: port)
    do {
        try await S3FixtureSupport.waitUntilReady("S3 fault proxy on port \(port)", process: process, logPath: logPath) {
            (try? proxy.statistics()) != nil
        }
        let result = try await body(proxy)
        await S3FixtureSupport.stop(process)
        return result
    } catch {
        await S3FixtureSupport.stop(process)
        throw error
    }
}
