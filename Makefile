# Thin driver over CMake presets. `make run` builds and runs the default Daihai plan batch;
# `make test` builds (the serial and the MPI program) and runs the whole test suite through CTest.
PRESET ?= release
BUILD  := build/$(PRESET)
JOBS   ?= $(shell nproc)

.PHONY: deps configure build mpi run test sanitize fuzz bench clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: configure
	@cmake --build --preset $(PRESET) -j $(JOBS) --target daihai
	@mkdir -p outputs
	@# The default batch takes seconds: an interrupted earlier attempt is started again, not resumed.
	@rm -f outputs/daihai_plan.h5.partial
	$(BUILD)/daihai batch scenarios/daihai_plan.toml -o outputs/daihai_plan.h5
	$(BUILD)/daihai report outputs/daihai_plan.h5 -o outputs/report/zh --lang zh
	$(BUILD)/daihai report outputs/daihai_plan.h5 -o outputs/report/en --lang en

# The MPI build (OpenMPI, parallel HDF5): build/mpi/daihai, for `mpirun -np R build/mpi/daihai batch ...`
# and the MPI tests of `make test`.
mpi: deps
	@cmake --preset mpi >/dev/null
	@cmake --build --preset mpi -j $(JOBS)

test: build mpi
	@ctest --preset $(PRESET) -j $(JOBS)

# The whole test suite under AddressSanitizer + UBSan, and the batch tests under ThreadSanitizer
# (about an hour on 2 cores). SANITIZE_TESTS=-ci: the CI's subsets (test presets asan-ci, tsan-ci:
# the suite without its long batches, and the batch runner's threading tests; about 15 minutes).
SANITIZE_TESTS ?=
sanitize: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan$(SANITIZE_TESTS) -j $(JOBS)
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS)
	@ctest --preset tsan$(SANITIZE_TESTS) -j $(JOBS)

# Each libFuzzer target for FUZZ_MINUTES minutes (bench/fuzz.sh; default 10).
FUZZ_MINUTES ?= 10
fuzz:
	@bash scripts/install-deps.sh fuzz
	@bash bench/fuzz.sh $(FUZZ_MINUTES)

bench: configure
	@cmake --build --preset $(PRESET) -j $(JOBS) --target daihai
	@bash bench/standard_batch.sh

clean:
	rm -rf build
