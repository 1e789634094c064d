import KubernetesClient
import KubernetesModels
import Testing
@testable import ControllerRuntime

@Suite struct ObjectStoreTests {
    func map(_ name: String, rv: String, data: String = "x") -> ConfigMap {
        var map = ConfigMap(name: name, data: ["k": data])
        map.metadata.resourceVersion = rv
        return map
    }

    @Test func givenAnEmptyStore_whenAddedModifiedDeletedArrive_thenTheStoreFollowsAndReportsEachChange() {
        var store = ObjectStore<ConfigMap>()
        let added = store.apply(.added(map("a", rv: "10")))
        #expect(added.map { if case .added = $0 { true } else { false } } == true)
        let modified = store.apply(.modified(map("a", rv: "11", data: "y")))
        guard case .updated(let old, let new)? = modified else {
            Issue.record("expected an update, got \(String(describing: modified))")
            return
        }
        #expect(old.metadata.resourceVersion == "10")
        #expect(new.data?["k"] == "y")
        #expect(store.objects[ObjectKey(namespace: "default", name: "a")]?.metadata.resourceVersion == "11")
        let deleted = store.apply(.deleted(map("a", rv: "12", data: "y")))
        #expect(deleted.map { if case .deleted = $0 { true } else { false } } == true)
        #expect(store.objects.isEmpty)
    }

    @Test func givenAStore_whenABookmarkOrARepeatedVersionArrives_thenNothingIsReported() {
        var store = ObjectStore<ConfigMap>()
        _ = store.apply(.added(map("a", rv: "10")))
        #expect(store.apply(.bookmark(WatchBookmark(resourceVersion: "20"))) == nil)
        #expect(store.apply(.modified(map("a", rv: "10"))) == nil)
    }

    @Test func givenACachedStore_whenAFreshListArrives_thenAddsUpdatesAndSynthesisedDeletesAreReported() {
        var store = ObjectStore<ConfigMap>()
        _ = store.replace(with: [map("keep", rv: "1"), map("change", rv: "2"), map("gone", rv: "3")])
        let events = store.replace(with: [map("keep", rv: "1"), map("change", rv: "7"), map("new", rv: "8")])
        let summary = events.map { event -> String in
            switch event {
            case .added(let o): "added \(o.metadata.name!)"
            case .updated(_, let o): "updated \(o.metadata.name!)"
            case .deleted(let o): "deleted \(o.metadata.name!) rv \(o.metadata.resourceVersion!)"
            }
        }
        #expect(summary == ["updated change", "added new", "deleted gone rv 3"])
        #expect(store.objects.keys.sorted().map(\.name) == ["change", "keep", "new"])
    }

    func child(_ name: String, namespace: String = "default", policy: String?, rv: String) -> ConfigMap {
        var map = ConfigMap(namespace: namespace, name: name, labels: policy.map { ["lifeboat.dev/policy": $0] })
        map.metadata.resourceVersion = rv
        return map
    }

    func names(_ keys: Set<ObjectKey>) -> [String] { keys.map(\.name).sorted() }

    @Test func givenALabelIndex_whenChildrenAreAddedRelabelledAndDeleted_thenEachPolicyFindsExactlyItsOwn() {
        var store = ObjectStore<ConfigMap>(indexedLabel: "lifeboat.dev/policy")
        _ = store.apply(.added(child("a-1", policy: "a", rv: "1")))
        _ = store.apply(.added(child("a-2", policy: "a", rv: "2")))
        _ = store.apply(.added(child("b-1", policy: "b", rv: "3")))
        _ = store.apply(.added(child("a-other-ns", namespace: "other", policy: "a", rv: "4")))
        _ = store.apply(.added(child("unlabelled", policy: nil, rv: "5")))
        #expect(names(store.keys(namespace: "default", labelValue: "a")) == ["a-1", "a-2"])
        #expect(names(store.keys(namespace: "other", labelValue: "a")) == ["a-other-ns"])
        #expect(names(store.keys(namespace: "default")) == ["a-1", "a-2", "b-1", "unlabelled"])

        _ = store.apply(.modified(child("a-2", policy: "b", rv: "6")))
        #expect(names(store.keys(namespace: "default", labelValue: "a")) == ["a-1"])
        #expect(names(store.keys(namespace: "default", labelValue: "b")) == ["a-2", "b-1"])

        _ = store.apply(.deleted(child("b-1", policy: "b", rv: "7")))
        #expect(names(store.keys(namespace: "default", labelValue: "b")) == ["a-2"])
        #expect(names(store.keys(namespace: "default")) == ["a-1", "a-2", "unlabelled"])
        #expect(store.keys(namespace: "nowhere").isEmpty)
    }

    @Test func givenALabelIndex_whenAFreshListReplacesTheContent_thenTheIndexesDescribeOnlyTheList() {
        var store = ObjectStore<ConfigMap>(indexedLabel: "lifeboat.dev/policy")
        _ = store.replace(with: [child("a-1", policy: "a", rv: "1"), child("gone", policy: "a", rv: "2")])
        _ = store.replace(with: [child("a-1", policy: "a", rv: "1"), child("c-1", namespace: "other", policy: "c", rv: "3")])
        #expect(names(store.keys(namespace: "default", labelValue: "a")) == ["a-1"])
        #expect(names(store.keys(namespace: "other", labelValue: "c")) == ["c-1"])
        #expect(names(store.keys(namespace: "other")) == ["c-1"])
    }

    @Test func givenATransform_whenObjectsArriveByWatchAndList_thenOnlyTrimmedObjectsAreStoredAndReported() {
        var store = ObjectStore<ConfigMap>(transform: { map in
            var trimmed = map
            trimmed.data = nil
            return trimmed
        })
        let added = store.apply(.added(map("a", rv: "1", data: "big")))
        #expect(added?.object.data == nil)
        _ = store.replace(with: [map("b", rv: "2", data: "big")])
        #expect(store.objects.values.allSatisfy { $0.data == nil })
        #expect(store.objects.count == 1)
        // The same version arriving again is no change, although the received object still has its data.
        _ = store.apply(.added(map("c", rv: "3", data: "big")))
        #expect(store.apply(.modified(map("c", rv: "3", data: "big"))) == nil)
    }

    @Test func givenObjectsWithManagedFields_whenTrimmedWithWithoutManagedFields_thenOnlyManagedFieldsGo() {
        var map = child("a", policy: "a", rv: "1")
        map.metadata.managedFields = [.object(["manager": .string("lifeboat-controller")])]
        let trimmed = Informer<ConfigMap>.withoutManagedFields(map)
        #expect(trimmed.metadata.managedFields == nil)
        var expected = map
        expected.metadata.managedFields = nil
        #expect(trimmed == expected)
    }
}
