import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What S3 knows about one object (HEAD, or an entry of a listing).
public struct S3ObjectInfo: Sendable, Hashable {
    /// The object key.
    public var key: String
    /// The size in bytes.
    public var size: Int64
    /// When the object was last written.
    public var lastModified: Date?
    /// The entity tag, without quotes.
    public var etag: String?
    /// The storage class, when S3 reports it.
    public var storageClass: String?

    /// Creates an object description.
    public init(key: String, size: Int64, lastModified: Date?, etag: String?, storageClass: String? = nil) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
        self.storageClass = storageClass
    }
}

/// The result of ``S3Client/listObjects(prefix:delimiter:maxKeys:)``: every page, concatenated.
public struct S3Listing: Sendable, Hashable {
    /// The objects, in key order.
    public var objects: [S3ObjectInfo]
    /// The common prefixes ("folders") when a delimiter was given.
    public var commonPrefixes: [String]

    /// Creates a listing.
    public init(objects: [S3ObjectInfo] = [], commonPrefixes: [String] = []) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
    }
}

/// A multipart upload that was started and neither completed nor aborted.
public struct S3MultipartUpload: Sendable, Hashable {
    /// The key the upload writes.
    public var key: String
    /// The upload id.
    public var uploadId: String
    /// When the upload was started.
    public var initiated: Date?

    /// Creates an upload description.
    public init(key: String, uploadId: String, initiated: Date?) {
        self.key = key
        self.uploadId = uploadId
        self.initiated = initiated
    }
}

/// What an upload through ``S3MultipartUploader`` wrote.
public struct S3UploadResult: Sendable, Hashable {
    /// The key written.
    public var key: String
    /// The object's entity tag, without quotes.
    public var etag: String?
    /// The number of bytes written.
    public var size: Int64
    /// The number of parts (0 when the object went as one PutObject).
    public var partCount: Int

    /// Creates an upload result.
    public init(key: String, etag: String?, size: Int64, partCount: Int) {
        self.key = key
        self.etag = etag
        self.size = size
        self.partCount = partCount
    }
}

/// Parsing of the two date forms S3 uses.
enum S3Date {
    /// ISO 8601 as in listings: `2009-10-12T17:50:30.000Z` (fraction optional).
    static func parseISO8601(_ string: String) -> Date? {
        let s = Array(string.utf8)
        guard s.count >= 20, s[4] == UInt8(ascii: "-"), s[10] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: s[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var fraction = 0.0
        if s[19] == UInt8(ascii: "."), let end = s[19...].firstIndex(where: { $0 == UInt8(ascii: "Z") || $0 == UInt8(ascii: "+") }) {
            fraction = Double("0" + String(decoding: s[19..<end], as: UTF8.self)) ?? 0
        }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction)
    }

    /// RFC 7231 as in `Last-Modified`: `Wed, 12 Oct 2009 17:50:00 GMT`.
    static func parseHTTPDate(_ string: String) -> Date? {
        let parts = string.split(separator: " ")
        guard parts.count == 6 else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let time = parts[4].split(separator: ":")
        guard let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3]), time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]),
            let second = Int(time[2])
        else { return nil }
        return make(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second, fraction: 0)
    }

    private static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double) -> Date? {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        guard seconds != -1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }
}

extension String {
    /// The entity tag without surrounding quotes.
    var unquotedETag: String {
        var s = self
        if s.hasPrefix("\"") { s.removeFirst() }
        if s.hasSuffix("\"") { s.removeLast() }
        return s
    }
}
