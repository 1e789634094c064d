# The README's two commands: `make demo` and `make test`. Both install what is missing first.
.PHONY: deps demo test build benchmark

deps:
	@scripts/install-deps

build: deps
	swift build

demo: deps
	swift run lifeboat demo

# Three passes, so timing-sensitive tests never share a process with heavy ones: the controller side (watches, leases,
# work queues: sub-second timings), then the worker's unit suites (moto_server, codecs, WAL), then the integration
# suites, one test at a time: each starts PostgreSQL clusters, pg_dump, pg_receivewal and moto, and two dozen of them at
# once on a 2-core runner made servers miss their start timeout and kill/timing tests race (seen in a fresh-clone run).
CONTROLLER_SUITES = ControllerRuntimeTests|KubernetesClientTests|KubernetesTestServerTests|LifeboatControllerTests

test: deps
	swift build --build-tests
	swift test --skip-build --filter '$(CONTROLLER_SUITES)'
	swift test --skip-build --skip '$(CONTROLLER_SUITES)' --skip LifeboatIntegrationTests
	swift test --skip-build --no-parallel --filter LifeboatIntegrationTests

benchmark: deps
	scripts/benchmark-logical
