# The front door. `make run` and `make test` are all a newcomer needs.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run test unit-test bench fmt clean container container-test deploy

all: build

deps:
	@scripts/install-deps.sh build test

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

# Release build; the binary is $(BUILD_DIR)/gallery.
build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Starts the server on http://127.0.0.1:8080 with pictures and SQLite in ./data.
run: build
	$(BUILD_DIR)/gallery

# Every test suite (unit, integration, deployment) through CTest.
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 1

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh $(BUILD_DIR)

fmt:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp')

clean:
	rm -rf $(BUILD_DIR)

# Deploys to the AWS account of the current credentials (docs/deploy-aws.md).
deploy:
	scripts/deploy-aws.sh $(DEPLOY_ARGS)
