# Thin driver over CMake presets. `make run` builds and runs the default Daihai plan batch;
# `make test` builds and runs the whole test suite through CTest.
PRESET ?= release
BUILD  := build/$(PRESET)
JOBS   ?= $(shell nproc)

.PHONY: deps build run test bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	@mkdir -p outputs
	$(BUILD)/daihai batch scenarios/daihai_plan.toml -o outputs/daihai_plan.h5

test: build
	@ctest --preset $(PRESET) -j $(JOBS)

bench: build
	@bash bench/standard_batch.sh

clean:
	rm -rf build
