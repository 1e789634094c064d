import BackupEngine
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small helpers behind the S3 fixtures: free loopback ports, a minimal HTTP request over a socket
/// (so the fixtures need no HTTP library) and child-process handling.
public enum S3FixtureSupport {
    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it; a tiny race remains,
    /// which the fixtures absorb by retrying their start).
    public static func freeLoopbackPort() throws -> Int {
        try FreePort.find()
    }

    /// Sends one unsigned HTTP/1.1 request to 127.0.0.1:`port` and returns the status code and body.
    /// Blocking, with a socket timeout (5 s unless given): for fixture set-up only.
    public static func loopbackRequest(port: Int, method: String, path: String, body: [UInt8] = [], timeoutSeconds: Int = 5) throws -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw S3FixtureError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw S3FixtureError("connect to 127.0.0.1:\(port) failed: errno \(errno)") }
        let head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw S3FixtureError("send to 127.0.0.1:\(port) failed: errno \(errno)") }
            sent += n
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += chunk[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw S3FixtureError("no HTTP response from 127.0.0.1:\(port)")
        }
        let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, bodyText)
    }

    /// The full path of `name` found on `PATH`, or `nil`.
    public static func executable(named name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Polls `probe` every 100 ms until it returns true or `timeout` passes; fails early if `process` exits.
    public static func waitUntilReady(
        _ what: String, process: Process, logPath: String, timeout: Duration = .seconds(30),
        isolation: isolated (any Actor)? = #isolation, probe: () -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if !process.isRunning {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw S3FixtureError("\(what) exited with status \(process.terminationStatus) before answering:\n\(log.suffix(2000))")
            }
            if probe() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw S3FixtureError("\(what) did not answer within \(timeout)")
    }

    /// Python statements that unblock every signal and import `sys`: child processes inherit the test
    /// runner's blocked signal mask (SIGTERM included), which would make ``stop(_:isolation:)`` wait
    /// for its SIGKILL fallback.
    public static let pythonUnblockSignals = "import signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, [])"

    /// Sends SIGTERM, waits up to 5 s for the process to exit, then SIGKILL and waits again.
    public static func stop(_ process: Process, isolation: isolated (any Actor)? = #isolation) async {
        guard process.isRunning else { return }
        process.terminate()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while process.isRunning && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
    }
}

/// A fixture that could not be set up, with what to check.
public struct S3FixtureError: Error, CustomStringConvertible, Sendable {
    /// What failed.
    public var description: String

    /// Creates the error.
    public init(_ description: String) { self.description = description }
}
