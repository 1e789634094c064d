import Foundation
import KubernetesClient
import KubernetesModels
import LifeboatAPI
import Logging

/// Writes `events.k8s.io/v1` Events about BackupPolicies (reportingController `lifeboat.dev/controller`, MicroTime
/// `eventTime`, sample 17a).
///
/// An Event's name is derived from what it reports (policy uid, reason, related Job, note, occurrence), so writing
/// the same Event twice (a retried reconcile, two controllers overlapping during a leader hand-over) gets 409
/// AlreadyExists instead of a duplicate.
public struct EventRecorder: Sendable {
    /// The `reportingController` of every Event.
    public static let reportingController = "lifeboat.dev/controller"

    let client: KubernetesClient
    /// The `reportingInstance`, e.g. the pod name.
    public let instance: String
    let logger: Logger

    /// Creates a recorder writing through `client` as `instance`.
    public init(client: KubernetesClient, instance: String, logger: Logger = Logger(label: "lifeboat.events")) {
        self.client = client
        self.instance = instance
        self.logger = logger
    }

    /// The Event object for `event` about `policy` at `now`.
    public func makeEvent(_ event: PolicyEvent, about policy: BackupPolicy, now: Date) -> Event {
        let namespace = policy.metadata.namespace ?? "default"
        let identity = [policy.metadata.uid ?? "", event.reason, event.relatedJobName ?? "", event.note, event.occurrence ?? ""].joined(separator: "/")
        let name = ChildNames.shorten(policy.metadata.name ?? "policy", limit: 200) + "." + StableHash.hex(identity, length: 16)
        let related = event.relatedJobName.map {
            ObjectReference(apiVersion: Job.descriptor.apiVersion, kind: Job.descriptor.kind, namespace: namespace, name: $0)
        }
        return Event(
            metadata: ObjectMeta(name: name, namespace: namespace),
            eventTime: KubernetesTime.formatMicro(now), reportingController: Self.reportingController, reportingInstance: instance,
            action: event.action, reason: event.reason, note: event.note, type: event.type.rawValue,
            regarding: ObjectReference(to: policy), related: related
        )
    }

    /// Writes `events`; an Event that already exists is fine. Failures are logged, never thrown: an Event is a
    /// courtesy and must not make a reconcile that already recorded the status fail and run again.
    public func record(_ events: [PolicyEvent], about policy: BackupPolicy, now: Date) async {
        for event in events {
            let object = makeEvent(event, about: policy, now: now)
            do {
                _ = try await client.create(object, namespace: object.metadata.namespace)
            } catch let error as KubernetesError where error.isAlreadyExists {
                continue
            } catch {
                logger.warning("could not write an Event", metadata: [
                    "k8s.namespace": "\(policy.metadata.namespace ?? "")", "k8s.name": "\(policy.metadata.name ?? "")",
                    "event.reason": "\(event.reason)", "error": "\(error)",
                ])
            }
        }
    }
}
