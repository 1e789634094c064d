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
# suites, which start PostgreSQL clusters and pg_dump processes and load both cores.
CONTROLLER_SUITES = ControllerRuntimeTests|KubernetesClientTests|KubernetesTestServerTests|LifeboatControllerTests

test: deps
	swift build --build-tests
	swift test --skip-build --filter '$(CONTROLLER_SUITES)'
	swift test --skip-build --skip '$(CONTROLLER_SUITES)' --skip LifeboatIntegrationTests
	swift test --skip-build --filter LifeboatIntegrationTests

benchmark: deps
	scripts/benchmark-logical
