#if canImport(Glibc)
import Glibc
#endif
import WALFastPath

// `lifeboat-wal wal-push …` / `lifeboat-wal wal-fetch …`: the same arguments as `lifeboat`, answered here when the
// background pusher's acknowledgement or the background fetcher's queue already proves the answer, otherwise handed
// to the full `lifeboat` beside this program (exec, same arguments). See FastPath.

let arguments = Array(CommandLine.arguments.dropFirst())
var environment: [String: String] = [:]
var pointer = environ
while let entry = pointer.pointee {
    let text = String(cString: entry)
    if let equals = text.firstIndex(of: "=") { environment[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
    pointer += 1
}
var cwd = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
let currentDirectory = getcwd(&cwd, cwd.count).map { String(cString: $0) } ?? "."

if case .answered(let status) = FastPath.decide(arguments: arguments, environment: environment, currentDirectory: currentDirectory) {
    exit(status)
}

// The full lifeboat: beside this program (resolved through /proc/self/exe), else on PATH.
var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
var full = "lifeboat"
if length > 0 {
    let me = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if let slash = me.lastIndex(of: "/"), access(String(me[..<slash]) + "/lifeboat", X_OK) == 0 { full = String(me[..<slash]) + "/lifeboat" }
}
let argv = ([full] + arguments).map { strdup($0) } + [nil]
if full.hasPrefix("/") { execv(full, argv) } else { execvp(full, argv) }
let message = "lifeboat-wal: cannot run \(full): \(String(cString: strerror(errno)))\n"
_ = message.withCString { write(2, $0, strlen($0)) }
// As lifeboat would: wal-fetch stops recovery on any failure other than "not archived"; wal-push lets PostgreSQL retry.
exit(arguments.first == "wal-fetch" ? 200 : 1)
