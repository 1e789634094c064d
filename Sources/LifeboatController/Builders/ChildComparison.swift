import Foundation
import KubernetesModels

/// Decides whether a child in the cluster already is what a builder wants, ignoring what the server defaults.
///
/// The builder's object is compared as a subset of the live one: every field the builder sets must be present with
/// the same value; fields only the live object has (server defaults such as `dnsPolicy`, `schedulerName`,
/// `terminationGracePeriodSeconds`, metadata such as `uid` and `resourceVersion`, and status) are ignored. Arrays
/// must have the same length and match element by element, so a container, env var or volume the builder dropped is
/// noticed. A field the builder stopped setting (a map key, an optional section) cannot be told from a server
/// default that way, so every built child also carries a hash of its desired form (`stamped`), and a changed hash
/// means an update too.
public enum ChildComparison {
    /// Annotation holding the hash of the child's desired form.
    public static let hashAnnotation = "lifeboat.dev/desired-hash"

    /// `child` with `hashAnnotation` set to a stable hash of its JSON (keys sorted, the annotation itself left out).
    public static func stamped<Child: KubernetesResource>(_ child: Child) -> Child {
        var copy = child
        copy.metadata.annotations?[hashAnnotation] = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain model structs cannot fail; if it ever did, an empty hash only forces one extra update.
        let json = (try? encoder.encode(copy)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var annotations = copy.metadata.annotations ?? [:]
        annotations[hashAnnotation] = StableHash.hex(json, length: 16)
        copy.metadata.annotations = annotations
        return copy
    }

    /// Whether `live` must be updated to become `desired` (a stamped builder output): its hash differs, or a field
    /// the builder sets was changed in the cluster.
    public static func needsUpdate<Child: KubernetesResource>(desired: Child, live: Child) throws -> Bool {
        if desired.metadata.annotations?[hashAnnotation] != live.metadata.annotations?[hashAnnotation] { return true }
        return try !isSatisfied(desired: desired, by: live)
    }

    /// Whether `live` already carries everything in `desired`.
    public static func isSatisfied<Child: Encodable>(desired: Child, by live: Child) throws -> Bool {
        // Trees built straight from the values: no JSON text written and parsed again on every reconcile.
        isSubset(try JSONValue(encoding: desired), of: try JSONValue(encoding: live))
    }

    /// Whether `desired` is contained in `live` (see the type's description).
    public static func isSubset(_ desired: JSONValue, of live: JSONValue?) -> Bool {
        switch desired {
        case .null:
            return live == nil || live == .null
        case .object(let members):
            guard case .object(let liveMembers)? = live else { return false }
            return members.allSatisfy { key, value in isSubset(value, of: liveMembers[key]) }
        case .array(let items):
            guard case .array(let liveItems)? = live, liveItems.count == items.count else { return false }
            return zip(items, liveItems).allSatisfy { isSubset($0, of: $1) }
        default:
            return desired == live
        }
    }
}
