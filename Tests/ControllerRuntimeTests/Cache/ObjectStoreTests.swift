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
}
