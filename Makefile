# The README's two commands: `make demo` and `make test`. Both install what is missing first.
.PHONY: deps demo test build benchmark

deps:
	@scripts/install-deps

build: deps
	swift build

demo: deps
	swift run lifeboat demo

test: deps
	swift test

benchmark: deps
	scripts/benchmark-logical
