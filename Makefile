# The README's two commands: `make demo` and `make test`. Both install what is missing first.
.PHONY: deps demo test build benchmark

deps:
	@scripts/install-deps

build: deps
	swift build

demo: deps
	swift run lifeboat demo

# Two passes: the fast, timing-sensitive API and unit suites first, then the integration suites, which start
# PostgreSQL clusters and pg_dump processes and load both cores.
test: deps
	swift build --build-tests
	swift test --skip-build --skip LifeboatIntegrationTests
	swift test --skip-build --filter LifeboatIntegrationTests

benchmark: deps
	scripts/benchmark-logical
